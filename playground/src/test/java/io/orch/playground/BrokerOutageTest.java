package io.orch.playground;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.playground.broker.EmbeddedBroker;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real responders outlive a long broker outage and are back within seconds of the broker, however long it
 * was away: their reconnect back-off is capped ({@link io.orch.protocol.Limits#RECONNECT_MAX_DELAY_MS}),
 * not grown to ActiveMQ's 30 s. The outage lasts two minutes, once, in this one test.
 */
class BrokerOutageTest {
    private static final Duration OUTAGE = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    @Test
    void nodesAnswerPingsWithinTenSecondsOfTheBrokersReturnAfterATwoMinuteOutage() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        EmbeddedBroker broker = Cli.PKI.startBroker("127.0.0.1", port, Clock.systemUTC());
        String url = broker.url();
        Path nodes = Files.writeString(dir.resolve("nodes.txt"), "node1\nnode2\n");
        try (ResponderProcess node1 = ResponderProcess.start("node1", url, dir, false);
             ResponderProcess node2 = ResponderProcess.start("node2", url, dir, false)) {
            awaitPing(url, nodes, Duration.ofSeconds(180), node1, node2); // two JVMs starting on a busy machine

            broker.close();
            Thread.sleep(OUTAGE.toMillis());
            broker = Cli.PKI.startBroker("127.0.0.1", port, Clock.systemUTC()); // same port, same config

            awaitPing(url, nodes, Duration.ofSeconds(10), node1, node2);
            for (ResponderProcess node : List.of(node1, node2)) {
                String log = node.log();
                assertTrue(log.contains("node " + node.identity() + ": connection to broker"), log);
                assertTrue(log.contains("interrupted; reconnecting"), log);
                assertTrue(log.contains("is back after"), log);
            }
            Cli.Result ping = ping(url, nodes);
            assertEquals(0, ping.exitCode(), ping.toString());
            assertTrue(ping.out().contains("\"ok\" : 2"), ping.toString());
        } finally {
            broker.close();
        }
    }

    /** Until a ping is answered by every node, at most {@code within}; on failure the last ping and the logs say why. */
    private static void awaitPing(String url, Path nodes, Duration within, ResponderProcess... processes) {
        java.util.concurrent.atomic.AtomicReference<Cli.Result> last = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            await().atMost(within).pollInterval(Duration.ofMillis(200)).until(() -> {
                last.set(ping(url, nodes));
                return last.get().exitCode() == 0;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            StringBuilder why = new StringBuilder("no full ping within " + within + "; last: " + last.get());
            for (ResponderProcess p : processes) {
                why.append("\n---------- ").append(p.identity()).append('\n').append(p.log());
            }
            throw new AssertionError(why.toString(), e);
        }
    }

    private static Cli.Result ping(String url, Path nodes) {
        return Cli.run("ping", "--broker", url, "--nodes", nodes.toString(), "--json", "--discovery-timeout", "5s");
    }
}
