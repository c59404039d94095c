package io.orch.playground;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.orch.playground.broker.EmbeddedBroker;
import io.orch.playground.lab.Lab;
import io.orch.playground.lab.LabSpec;
import io.orch.playground.lab.LabTiming;
import io.orch.responder.bus.NodeConnections;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The lab behaves like real nodes on the bus: a failover URL is fine, and a broker restart is survived and logged. */
class LabReconnectTest {
    private static final int NODES = 20;

    @TempDir
    Path dir;

    @Test
    void theLabAnswersPingInFullWithinFifteenSecondsOfABrokerRestart() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger logger = (Logger) LoggerFactory.getLogger(NodeConnections.class);
        // Whichever configuration this JVM's logging started with (the CLI's or the playground's), the lab's
        // connection news is what this test reads.
        ch.qos.logback.classic.Level level = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
        logger.addAppender(log);
        EmbeddedBroker broker = Cli.PKI.startBroker("127.0.0.1", port, Clock.systemUTC());
        String url = broker.url();
        Path nodes = dir.resolve("nodes.txt");
        try (Lab lab = Lab.start(new LabSpec(NODES, 0.3, 7, "failover:(" + url + ")", null, dir.resolve("lab"),
                new LabTiming(0, Duration.ofMillis(500)), 10, Cli.PKI))) {
            Files.write(nodes, IntStream.range(0, NODES).mapToObj(lab.spec()::identity).toList());
            assertFullPing(ping(url, nodes));

            broker.close();
            broker = Cli.PKI.startBroker("127.0.0.1", port, Clock.systemUTC()); // same port, same config

            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .until(() -> ping(url, nodes).exitCode() == 0);
            assertFullPing(ping(url, nodes));
            List<String> lines = log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertEquals(2, lines.stream().filter(l -> l.startsWith("lab connection ")
                    && l.contains("interrupted; reconnecting")).count(), String.join("\n", lines));
            assertEquals(2, lines.stream().filter(l -> l.startsWith("lab connection ")
                    && l.contains("is back after")).count(), String.join("\n", lines));
        } finally {
            logger.detachAppender(log);
            logger.setLevel(level);
            broker.close();
        }
    }

    private static Cli.Result ping(String url, Path nodes) {
        return Cli.run("ping", "--broker", url, "--nodes", nodes.toString(), "--json", "--discovery-timeout", "5s");
    }

    private static void assertFullPing(Cli.Result ping) {
        assertEquals(0, ping.exitCode(), ping.toString());
        assertTrue(ping.out().contains("\"ok\" : " + NODES), ping.toString());
    }
}
