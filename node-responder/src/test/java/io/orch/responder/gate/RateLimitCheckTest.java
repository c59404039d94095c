package io.orch.responder.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.protocol.Limits;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Freshness;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.envelope.SecureEnvelope;
import io.orch.responder.TestClock;
import io.orch.responder.policy.Policy;
import io.orch.responder.policy.PolicySource;
import io.orch.responder.replay.SeenRequests;
import io.orch.responder.request.Delivery;
import io.orch.responder.request.Replies;
import io.orch.trust.Verifier;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-caller rate limits at the gate, driven by a fake clock: costly actions are refused past the
 * limit with a message naming it, per caller, refilling over the window; legitimate use (a
 * change-window script, a rolling run) never trips them; a replayed copy uses up nothing.
 */
class RateLimitCheckTest {
    private static final Delivery DIRECT = new Delivery(null, true, Delivery.ReplyTo.TEMPORARY_QUEUE);

    @TempDir
    Path state;

    private final TestClock clock = new TestClock(Instant.parse("2026-03-02T10:00:00Z"));
    private RequestGate gate;
    private SeenRequests seen;

    @BeforeEach
    void gate() throws Exception {
        // security: insecure, so the claimed caller counts (signed callers are counted by their verified name)
        gate = RequestGate.standard("orch", Freshness.DEFAULT, clock, new Replies("web01", clock),
                Verifier.insecure(clock), PolicySource.fixed(Policy.allowAll()), seen = SeenRequests.open(state, clock));
    }

    private Request request(Action action, String caller) {
        return Request.create("orch", action, null, Map.of(), caller, "junit", clock.instant(), Duration.ofSeconds(60));
    }

    private Admission send(Action action, String caller) {
        return gate.admit(request(action, caller), DIRECT);
    }

    @Test
    void statusPastTheLimitIsDeniedNamingTheLimitAndOtherCallersAreNotAffected() {
        for (int i = 0; i < Limits.MAX_STATUS_PER_WINDOW; i++) {
            assertTrue(send(Action.STATUS, "alice").admitted(), "status " + (i + 1));
        }

        Reply refused = send(Action.STATUS, "alice").refusal();

        assertEquals(ReplyStatus.DENIED, refused.status());
        assertEquals("rate limit: caller alice sent more than 60 status requests in 60 s (limit MAX_STATUS_PER_WINDOW); "
                + "try again in 1 s", refused.message());
        assertTrue(send(Action.STATUS, "bob").admitted(), "bob has his own allowance");
        assertTrue(send(Action.PING, "alice").admitted(), "each action has its own allowance");
    }

    @Test
    void theAllowanceRefillsEvenlyOverTheWindow() {
        for (int i = 0; i < Limits.MAX_REBOOT_PER_WINDOW; i++) {
            assertTrue(send(Action.REBOOT, "alice").admitted());
        }
        Reply refused = send(Action.REBOOT, "alice").refusal();
        assertEquals("rate limit: caller alice sent more than 30 reboot requests in 60 s (limit MAX_REBOOT_PER_WINDOW); "
                + "try again in 2 s", refused.message());

        clock.advance(Duration.ofMillis(1_999));
        assertEquals(ReplyStatus.DENIED, send(Action.REBOOT, "alice").refusal().status());
        clock.advance(Duration.ofMillis(1));
        assertTrue(send(Action.REBOOT, "alice").admitted(), "one request's worth refilled after 60 s / 30");
        assertEquals(ReplyStatus.DENIED, send(Action.REBOOT, "alice").refusal().status());

        clock.advance(Duration.ofSeconds(Limits.RATE_WINDOW_SECONDS));
        for (int i = 0; i < Limits.MAX_REBOOT_PER_WINDOW; i++) {
            assertTrue(send(Action.REBOOT, "alice").admitted(), "full again after a quiet window");
        }
    }

    @Test
    void aChangeWindowScriptPollingStatusEveryTwoSecondsForAnHourIsNeverRefused() {
        for (int second = 0; second < 3600; second += 2) {
            // each `orch status` run: a broadcast discover, then status to the matched nodes
            assertTrue(send(Action.DISCOVER, "change-bot").admitted(), "discover at " + second + " s");
            assertTrue(send(Action.STATUS, "change-bot").admitted(), "status at " + second + " s");
            clock.advance(Duration.ofSeconds(2));
        }
    }

    @Test
    void aRollingRebootWithWaitIsNeverRefused() {
        // `orch reboot --batch 10% --wait` seen from one node, run three times back to back with
        // --noop first: per run a discover, the reboot in its batch, a status probe per batch end,
        // and an operator pinging in between.
        for (int run = 0; run < 3; run++) {
            assertTrue(send(Action.DISCOVER, "alice").admitted());
            assertTrue(send(Action.REBOOT, "alice").admitted());
            for (int batch = 0; batch < 10; batch++) {
                assertTrue(send(Action.STATUS, "alice").admitted());
                assertTrue(send(Action.PING, "alice").admitted());
                clock.advance(Duration.ofSeconds(1));
            }
        }
    }

    @Test
    void aReplayedCopyOfSomeonesRequestUsesUpNothing() {
        Request status = request(Action.STATUS, "alice");
        assertTrue(gate.admit(status, DIRECT).admitted());
        for (int i = 0; i < 200; i++) {
            assertEquals("duplicate request id", gate.admit(status, DIRECT).refusal().message());
        }
        for (int i = 1; i < Limits.MAX_STATUS_PER_WINDOW; i++) {
            assertTrue(send(Action.STATUS, "alice").admitted(), "status " + (i + 1));
        }
    }

    @Test
    void aCallerFarOverItsRateTakesNoRoomInTheReplayMemoryAndOthersAreServed() {
        int refused = 0;
        for (int i = 0; i < 20 * Limits.MAX_PING_PER_WINDOW; i++) {
            refused += send(Action.PING, "mallory").admitted() ? 0 : 1;
        }

        assertEquals(19 * Limits.MAX_PING_PER_WINDOW, refused);
        assertEquals(Limits.MAX_PING_PER_WINDOW, seen.size(), "only the admitted pings are kept");
        assertEquals(Limits.MAX_PING_PER_WINDOW, seen.size("mallory"));
        assertTrue(send(Action.PING, "alice").admitted(), "another caller is served");
        assertTrue(send(Action.REBOOT, "alice").admitted());
        assertEquals(Limits.MAX_PING_PER_WINDOW + 2, seen.size());
    }

    @Test
    void callersAreForgottenLeastRecentlyUsedFirstSoTheMemoryStaysBounded() {
        RateLimitCheck check = new RateLimitCheck(clock,
                Map.of(Action.STATUS, new RateLimitCheck.Allowance(1, "MAX_STATUS_PER_WINDOW")), Duration.ofSeconds(60), 2);

        assertTrue(check.check(candidate("alice")).isEmpty());
        assertTrue(check.check(candidate("alice")).isPresent(), "alice used her one request");
        assertTrue(check.check(candidate("bob")).isEmpty());
        assertTrue(check.check(candidate("bob")).isPresent());
        assertTrue(check.check(candidate("carol")).isEmpty(), "alice, heard from longest ago, is forgotten");

        assertTrue(check.check(candidate("alice")).isEmpty(), "a forgotten caller starts afresh");
        assertTrue(check.check(candidate("carol")).isPresent(), "carol is still counted");
    }

    private Candidate candidate(String caller) {
        return new Candidate(request(Action.STATUS, caller), SecureEnvelope.unsigned(SecureEnvelope.Kind.REQUEST, "{}"),
                DIRECT);
    }
}
