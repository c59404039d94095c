package io.orch.playground.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.playground.broker.EmbeddedBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The raw baseline over a real broker: every bare consumer answers the client's one message, and no more. */
class RawFanOutTest {
    private EmbeddedBroker broker;
    private RawFleet fleet;

    @BeforeEach
    void brokerAndFleet() throws Exception {
        broker = EmbeddedBroker.startOnFreePort();
        // Five consumers over three connections (2 + 2 + 1), as the lab spreads its nodes.
        fleet = RawFleet.start(new ActiveMQConnectionFactory(broker.url()), 5, 2, "orch.node.bench-raw",
                RawFleet.body("{\"raw\":\"reply\",\"pad\":\"", 100));
    }

    @AfterEach
    void stop() {
        fleet.close();
        broker.close();
    }

    private String[] args(int expect, long timeoutMs) {
        return new String[] {"--insecure", "--broker", broker.url(), "--expect", String.valueOf(expect),
                "--timeout-ms", String.valueOf(timeoutMs)};
    }

    private int run(int expect, long timeoutMs, StringWriter out) {
        CommandLine cli = new CommandLine(new RawClientCommand());
        cli.setOut(new PrintWriter(out));
        return cli.execute(args(expect, timeoutMs));
    }

    @Test
    void everyConsumerAnswersTheOneMessage() {
        StringWriter out = new StringWriter();
        assertEquals(0, run(5, 30_000, out), out.toString());
        assertTrue(out.toString().startsWith("{\"answers\":5,\"expected\":5,"), out.toString());
        assertTrue(out.toString().contains("\"complete\":true"), out.toString());
    }

    @Test
    void aClientExpectingMoreThanAnswerSaysSoWithExit4() {
        StringWriter out = new StringWriter();
        assertEquals(4, run(6, 1_500, out), out.toString());
        assertTrue(out.toString().startsWith("{\"answers\":5,\"expected\":6,"), out.toString());
        assertTrue(out.toString().contains("\"complete\":false"), out.toString());
    }
}
