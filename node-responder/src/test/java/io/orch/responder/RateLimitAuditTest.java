package io.orch.responder;

import static io.orch.responder.Fixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rate-limited request is refused by the wired responder and audited like every other refusal. */
class RateLimitAuditTest {
    @TempDir
    Path dir;

    @Test
    void statusPastTheLimitIsDeniedAndTheAuditLineSaysWhy() throws Exception {
        Path root = dir.resolve("root");
        Path state = dir.resolve("state");
        write(root, "etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
        write(root, "proc/sys/kernel/osrelease", "6.1.0-10-amd64\n");
        write(root, "proc/sys/kernel/random/boot_id", "5e4d3c2b-1a09-4f8e-9d7c-6b5a4f3e2d1c\n");
        write(root, "proc/uptime", "120.00 200.00\n");
        write(root, "run/reboot-required", "");
        // Time stands still: every request falls in the same instant, so only the limit decides.
        Clock clock = Clock.fixed(Instant.now(), ZoneOffset.UTC);
        ResponderConfig config = new ResponderConfig("web01", null, null,
                new ResponderConfig.Facts(root.toString(), List.of()),
                new ResponderConfig.Pending(List.of("reboot_required")),
                new ResponderConfig.Reboot("command", null, null, null, null, List.of(), 0, 0, state.toString()), null);
        RebootExecutor executor = new RebootExecutor() {
            @Override
            public void reboot(RebootPlan plan) {
                throw new AssertionError("status never reboots");
            }

            @Override
            public String describe(RebootPlan plan) {
                return "none";
            }
        };
        Responder responder = ResponderWiring.responder(config, ResponderWiring.facts(config, clock), executor,
                Runnable::run, e -> { }, clock, TestTrust.shared().node("web01", clock));

        Outcome last = null;
        for (int i = 0; i <= Limits.MAX_STATUS_PER_WINDOW; i++) {
            Request status = Request.create("orch", Action.STATUS, null, Map.of(), "tester", "junit", clock.instant(),
                    Duration.ofSeconds(60)).routed("web01", "ID:test-queue");
            String signed = TestTrust.shared().operatorSealer().seal(SecureEnvelope.Kind.REQUEST,
                    new Codec().encodeInnerRequest(status));
            last = responder.handle(signed, new Delivery(status.id(), true, Delivery.ReplyTo.TEMPORARY_QUEUE,
                    "ID:test-queue"));
            responder.conclude(last, true, null); // as the endpoint does once the reply is sent
            if (i < Limits.MAX_STATUS_PER_WINDOW) {
                assertEquals(ReplyStatus.OK, last.reply().status(), last.reply().message());
            }
        }

        assertEquals(ReplyStatus.DENIED, last.reply().status());
        String why = "rate limit: caller " + TestTrust.OPERATOR + " sent more than 60 status requests in 60 s "
                + "(limit MAX_STATUS_PER_WINDOW); try again in 1 s";
        assertEquals(why, last.reply().message());
        List<String> lines = Files.readAllLines(state.resolve("audit.jsonl"));
        assertEquals(Limits.MAX_STATUS_PER_WINDOW + 1, lines.size());
        JsonNode line = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertEquals(last.reply().requestId(), line.path("request_id").asText());
        assertEquals(TestTrust.OPERATOR, line.path("caller").asText(), "the verified signer is the one counted");
        assertEquals("denied", line.path("decision").asText());
        assertEquals(why, line.path("message").asText());
        assertTrue(lines.subList(0, Limits.MAX_STATUS_PER_WINDOW).stream().allMatch(l -> l.contains("\"decision\":\"ok\"")),
                lines.get(0));
    }
}
