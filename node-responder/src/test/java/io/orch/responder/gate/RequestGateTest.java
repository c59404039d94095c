package io.orch.responder.gate;

import io.orch.protocol.Limits;
import io.orch.responder.policy.Policy;
import io.orch.responder.policy.PolicySource;
import io.orch.trust.Verifier;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Freshness;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.filter.FilterSpec;
import io.orch.responder.replay.SeenRequests;
import io.orch.responder.request.Delivery;
import io.orch.responder.request.Unanswered;
import io.orch.responder.request.Replies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate without a bus: the order of its checks, its replay memory (on disk) and the reply-to rules. */
class RequestGateTest {
    private static final Delivery DIRECT = new Delivery(null, true, Delivery.ReplyTo.TEMPORARY_QUEUE);
    private static final Delivery BROADCAST = new Delivery(null, false, Delivery.ReplyTo.TEMPORARY_QUEUE);

    @TempDir
    Path state;

    private final Replies replies = new Replies("web01", Clock.systemUTC());
    private RequestGate gate;
    private SeenRequests seen;

    @BeforeEach
    void gate() throws Exception {
        seen = SeenRequests.open(state, Clock.systemUTC());
        gate = gate(seen);
    }

    private RequestGate gate(SeenRequests seen) {
        return RequestGate.standard("orch", Freshness.DEFAULT, Clock.systemUTC(), replies,
                Verifier.insecure(Clock.systemUTC()), PolicySource.fixed(Policy.allowAll()), seen);
    }

    private ReplyStatus ping(Request request) {
        Admission admission = gate.admit(request, DIRECT);
        return admission.admitted() ? ReplyStatus.OK : admission.refusal().status();
    }

    private static Request newPing() {
        return request(Action.PING, null);
    }

    private static Request request(Action action, FilterSpec filter) {
        return Request.create("orch", action, filter, Map.of(), "tester", "junit", Instant.now(), Duration.ofSeconds(60));
    }

    private static Request withTtl(Action action, int ttlSeconds) {
        return new Request(UUID.randomUUID().toString(), "orch", action, null, Map.of(), "tester", "junit",
                Instant.now(), ttlSeconds);
    }

    @Test
    void repeatedIdIsDeniedAndStillAfterARestartOnTheSameStateDir() throws Exception {
        Request reboot = request(Action.REBOOT, null);
        assertTrue(gate.admit(reboot, DIRECT).admitted());
        assertEquals("duplicate request id", gate.admit(reboot, DIRECT).refusal().message());

        RequestGate restarted = gate(SeenRequests.open(state, Clock.systemUTC()));

        Reply refusal = restarted.admit(reboot, DIRECT).refusal();
        assertEquals(ReplyStatus.DENIED, refusal.status());
        assertEquals("duplicate request id", refusal.message());
        assertTrue(restarted.admit(request(Action.REBOOT, null), DIRECT).admitted(), "a new id passes");
    }

    @Test
    void idIsKeptUntilItsRequestCouldNoLongerPassTheFreshnessCheck() throws Exception {
        Request ping = newPing(); // ttl 60 s, and the default allowed skew is 30 s

        assertEquals(ReplyStatus.OK, ping(ping));

        long keptUntil = ping.createdAt().plusSeconds(90).getEpochSecond() + (ping.createdAt().getNano() > 0 ? 1 : 0);
        assertEquals(List.of(keptUntil + " " + ping.id()), Files.readAllLines(state.resolve(SeenRequests.FILE_NAME)));
    }

    @Test
    void fullReplayMemoryFailsNewRequestsAndSaysWhy() throws Exception {
        RequestGate small = gate(SeenRequests.open(state.resolve("small"), Clock.systemUTC(), 1));
        assertTrue(small.admit(newPing(), DIRECT).admitted());

        Reply refusal = small.admit(request(Action.REBOOT, null), DIRECT).refusal();

        assertEquals(ReplyStatus.FAILED, refusal.status());
        assertTrue(refusal.message().startsWith("replay memory full (1 live request ids); "), refusal.message());
    }

    @Test
    void rebootAndCancelLiveAtMostFiveMinutesOtherRequestsAnHour() {
        Reply reboot = gate.admit(withTtl(Action.REBOOT, Limits.MAX_REBOOT_TTL_SECONDS + 1), DIRECT).refusal();
        Reply cancel = gate.admit(withTtl(Action.CANCEL, Limits.MAX_REBOOT_TTL_SECONDS + 1), DIRECT).refusal();
        Reply ping = gate.admit(withTtl(Action.PING, Limits.MAX_TTL_SECONDS + 1), DIRECT).refusal();

        assertEquals(ReplyStatus.INVALID, reboot.status());
        assertEquals("ttl_s 301 is over the limit of 300s for reboot", reboot.message());
        assertEquals("ttl_s 301 is over the limit of 300s for cancel", cancel.message());
        assertEquals("ttl_s 3601 is over the limit of 3600s", ping.message());
        assertTrue(gate.admit(withTtl(Action.REBOOT, Limits.MAX_REBOOT_TTL_SECONDS), DIRECT).admitted());
        assertTrue(gate.admit(withTtl(Action.STATUS, Limits.MAX_TTL_SECONDS), DIRECT).admitted());
    }

    @Test
    void admittedRequestCarriesItsCompiledFilter() {
        Admission admission = gate.admit(newPing(), DIRECT);

        assertTrue(admission.admitted());
        assertNotNull(admission.filter());
    }

    @Test
    void refusalIsAnUnmatchedReplyWithoutData() {
        Request request = Request.create("other", Action.PING, null, Map.of(), "tester", "junit", Instant.now(),
                Duration.ofSeconds(60));

        Reply refusal = gate.admit(request, DIRECT).refusal();

        assertEquals(ReplyStatus.INVALID, refusal.status());
        assertEquals("request is for collective 'other', this node is in 'orch'", refusal.message());
        assertFalse(refusal.matched());
        assertEquals(io.orch.protocol.payload.NoData.INSTANCE, refusal.data());
        assertEquals("web01", refusal.node());
        assertEquals(request.id(), refusal.requestId());
    }

    @Test
    void broadcastRebootIsDeniedAndNamesTheNodesOwnDestination() {
        Reply refusal = gate.admit(request(Action.REBOOT, null), BROADCAST).refusal();

        assertEquals(ReplyStatus.DENIED, refusal.status());
        assertTrue(refusal.message().startsWith("reboot must be sent to "), refusal.message());
        assertTrue(refusal.message().endsWith("; discover first"), refusal.message());
    }

    @Test
    void broadcastRebootWithABadFilterIsAnsweredInvalidBecauseTheFilterIsCheckedFirst() {
        FilterSpec bad = new FilterSpec(List.of("reboot_pending=="), List.of(), null);

        assertEquals(ReplyStatus.INVALID, gate.admit(request(Action.REBOOT, bad), BROADCAST).refusal().status());
    }

    @Test
    void aRequestRefusedAfterTheReplayCheckTakesNoRoomAndItsCopyIsRefusedTheSameWay() {
        Request badFilter = request(Action.PING, new FilterSpec(List.of("reboot_pending=="), List.of(), null));
        Request broadcastReboot = request(Action.REBOOT, null);

        for (int copy = 0; copy < 2; copy++) {
            assertEquals(ReplyStatus.INVALID, gate.admit(badFilter, DIRECT).refusal().status());
            assertTrue(gate.admit(broadcastReboot, BROADCAST).refusal().message().startsWith("reboot must be sent to "));
        }
        assertEquals(0, seen.size(), "refused requests are not kept");
        assertTrue(gate.admit(broadcastReboot, DIRECT).admitted(), "sent the right way, it is new");
        assertEquals("duplicate request id", gate.admit(broadcastReboot, DIRECT).refusal().message());
    }

    @Test
    void oneCallerFillsOnlyItsShareOfTheReplayMemory() throws Exception {
        RequestGate shared = gate(SeenRequests.open(state.resolve("shared"), Clock.systemUTC(), 100, 3));
        for (int i = 0; i < 3; i++) {
            assertTrue(shared.admit(newPing(), DIRECT).admitted());
        }

        Reply refusal = shared.admit(newPing(), DIRECT).refusal();

        assertEquals(ReplyStatus.DENIED, refusal.status());
        assertTrue(refusal.message().startsWith("replay memory share of this caller full (3 live request ids, limit "
                + "MAX_LIVE_REQUEST_IDS_PER_CALLER)"), refusal.message());
        Request fromAnother = Request.create("orch", Action.PING, null, Map.of(), "another", "junit", Instant.now(),
                Duration.ofSeconds(60));
        assertTrue(shared.admit(fromAnother, DIRECT).admitted(), "another caller is still served");
    }

    @Test
    void aTemporaryQueueIsTheOnlyReplyDestinationThatIsAnswered() {
        assertTrue(gate.unanswerable(DIRECT).isEmpty());
        assertTrue(gate.unanswerable(BROADCAST).isEmpty());
    }

    @Test
    void aTopicOrPlainQueueAsReplyToIsNotAnsweredAndSaysWhich() {
        Unanswered why = gate.unanswerable(new Delivery(null, false, Delivery.ReplyTo.OTHER, "orch.broadcast"))
                .orElseThrow();

        assertEquals(Unanswered.Kind.NOT_A_TEMPORARY_QUEUE, why.kind());
        assertEquals("reply-to 'orch.broadcast' is not a temporary queue; replies go only to the requester's "
                + "temporary queue", why.why());
    }

    @Test
    void noReplyToIsNotAnswered() {
        Unanswered why = gate.unanswerable(new Delivery(null, true, Delivery.ReplyTo.NONE)).orElseThrow();

        assertEquals(Unanswered.Kind.NO_REPLY_TO, why.kind());
        assertTrue(why.why().startsWith("no reply destination"), why.why());
    }

    @Test
    void aReplyToNameFullOfControlsIsShownHarmlessAndShort() {
        String name = "evil\u001b]0;pwned\u0007\u202e" + "x".repeat(500);

        String why = gate.unanswerable(new Delivery(null, true, Delivery.ReplyTo.OTHER, name)).orElseThrow().why();

        assertFalse(why.chars().anyMatch(c -> c < 0x20 || c == 0x202e), why);
        assertTrue(why.contains("evil?]0;pwned??xxx"), why);
        assertTrue(why.length() < 260, why);
    }
}
