package io.orch.responder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.Freshness;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.responder.executor.RebootExecutor;
import io.orch.responder.executor.RebootPlan;
import io.orch.responder.facts.NodeFacts;
import io.orch.responder.pending.PendingCheck;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Request handling without a bus, for what needs many requests. */
class ResponderTest {

    private final Codec codec = new Codec();
    private final Responder responder = new Responder("orch",
            new NodeFacts(Map.of("identity", "web01"), new PendingCheck(List.of()), Clock.systemUTC()),
            new RebootExecutor() {
                @Override
                public void reboot(RebootPlan plan) {
                    throw new AssertionError("no reboot in this test");
                }

                @Override
                public String describe(RebootPlan plan) {
                    return "nothing";
                }
            }, Runnable::run, event -> { }, Clock.systemUTC(), Freshness.DEFAULT, codec, false);

    private ReplyStatus ping(Request request) {
        return responder.handle(codec.encodeRequest(request), null, true).reply().status();
    }

    private static Request newPing() {
        return Request.create("orch", Action.PING, null, null, "tester", "junit", Instant.now(), Duration.ofSeconds(60));
    }

    @Test
    void requestIdsAreRememberedUpToTheLast4096SoMemoryStaysBounded() {
        Request first = newPing();
        assertEquals(ReplyStatus.OK, ping(first));
        assertEquals(ReplyStatus.DENIED, ping(first));

        Request second = newPing();
        assertEquals(ReplyStatus.OK, ping(second));
        for (int i = 0; i < Responder.REMEMBERED_IDS - 1; i++) {
            assertEquals(ReplyStatus.OK, ping(newPing()));
        }

        assertEquals(ReplyStatus.DENIED, ping(second), "still among the last 4096");
        assertEquals(ReplyStatus.OK, ping(first), "forgotten: 4096 newer ids came after it");
    }
}
