package io.orch.responder;

import static io.orch.responder.Fixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.protocol.Limits;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.envelope.SecureEnvelope;
import io.orch.responder.config.ResponderConfig;
import io.orch.responder.config.ResponderWiring;
import io.orch.responder.executor.RebootExecutor;
import io.orch.responder.executor.RebootPlan;
import io.orch.responder.node.Responder;
import io.orch.responder.request.Delivery;
import io.orch.responder.request.Outcome;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text a message brings into the node's log: shown without controls (no forged lines, nothing a
 * terminal acts on), cut short, and for what anyone can send by the thousand, a few lines a minute.
 */
class HostileLogLinesTest {
    private static final String HOSTILE = "\u001b]0;pwned\u0007\u001b[2J\nWARN Responder - forged line\u202e";
    private static final Codec CODEC = new Codec();

    @TempDir
    Path dir;

    private final LogCapture log = LogCapture.of(io.orch.responder.request.RequestLog.LOG);
    // Time stands still: every message falls in the same minute.
    private final Clock clock = Clock.fixed(Instant.now(), ZoneOffset.UTC);
    private Responder responder;

    @BeforeEach
    void node() throws Exception {
        Path root = dir.resolve("root");
        write(root, "etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
        write(root, "proc/sys/kernel/osrelease", "6.1.0-10-amd64\n");
        write(root, "proc/sys/kernel/random/boot_id", "5e4d3c2b-1a09-4f8e-9d7c-6b5a4f3e2d1c\n");
        write(root, "proc/uptime", "120.00 200.00\n");
        write(root, "run/reboot-required", "");
        ResponderConfig config = new ResponderConfig("web01", null, null,
                new ResponderConfig.Facts(root.toString(), List.of()),
                new ResponderConfig.Pending(List.of("reboot_required")),
                new ResponderConfig.Reboot("command", null, null, null, null, List.of(), 0, 0,
                        dir.resolve("state").toString()), null);
        RebootExecutor executor = new RebootExecutor() {
            @Override
            public void reboot(RebootPlan plan) {
                throw new AssertionError("nothing here reboots");
            }

            @Override
            public String describe(RebootPlan plan) {
                return "none";
            }
        };
        responder = ResponderWiring.responder(config, ResponderWiring.facts(config, clock), executor, Runnable::run,
                e -> { }, clock, TestTrust.shared().node("web01", clock));
        log.clear();
    }

    private Request request(Action action, String target) {
        return Request.create("orch", action, null, Map.of(), "tester", HOSTILE, clock.instant(), Duration.ofSeconds(60))
                .routed(target, "ID:test-queue");
    }

    private Outcome handle(String body, String id, boolean direct) {
        Outcome outcome = responder.handle(body, new Delivery(id, direct, Delivery.ReplyTo.TEMPORARY_QUEUE,
                "ID:test-queue"));
        responder.conclude(outcome, true, null);
        return outcome;
    }

    private static void assertPrintable(String line) {
        assertFalse(line.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == 0x202e), line);
    }

    @Test
    void anUnreadableRequestQuotingControlsIsLoggedPrintableAndAFewAMinute() {
        int sent = Limits.MAX_DROPPED_LOG_LINES_PER_MINUTE + 50;
        for (int i = 0; i < sent; i++) {
            Request ping = request(Action.PING, "web01");
            String inner = CODEC.encodeInnerRequest(ping).replace("\"action\":\"ping\"",
                    "\"action\":" + CODEC.mapper().valueToTree(HOSTILE + "x".repeat(2_000)));
            String body = TestTrust.shared().operatorSealer().seal(SecureEnvelope.Kind.REQUEST, inner);

            Outcome outcome = handle(body, ping.id(), true);

            assertEquals(ReplyStatus.INVALID, outcome.reply().status(), "answered every time");
            assertTrue(outcome.reply().message().startsWith("unknown action '"), outcome.reply().message());
        }

        List<String> lines = log.lines().stream().filter(l -> l.startsWith("WARN invalid request ")).toList();
        assertEquals(Limits.MAX_DROPPED_LOG_LINES_PER_MINUTE, lines.size(), "a few a minute, the rest counted");
        lines.forEach(HostileLogLinesTest::assertPrintable);
        assertTrue(lines.get(0).contains("unknown action '?]0;pwned??[2J?WARN Responder - forged line?xxx"),
                lines.get(0));
        assertTrue(lines.get(0).length() < Limits.MAX_LOG_MESSAGE_CHARS + 200, lines.get(0).length() + " chars");
    }

    @Test
    void aSignedRequestsClaimedSenderIsLoggedPrintable() {
        Request reboot = request(Action.REBOOT, Request.BROADCAST);
        String body = TestTrust.shared().operatorSealer().seal(SecureEnvelope.Kind.REQUEST,
                CODEC.encodeInnerRequest(reboot));

        Outcome outcome = handle(body, reboot.id(), false); // a reboot on the broadcast: refused, naming the sender

        assertEquals(ReplyStatus.DENIED, outcome.reply().status(), outcome.reply().message());
        List<String> lines = log.lines().stream().filter(l -> l.contains(reboot.id())).toList();
        assertFalse(lines.isEmpty(), log.lines().toString());
        lines.forEach(HostileLogLinesTest::assertPrintable);
        assertTrue(lines.get(0).contains("@?]0;pwned??[2J?WARN Responder - forged line? denied"), lines.get(0));
    }
}
