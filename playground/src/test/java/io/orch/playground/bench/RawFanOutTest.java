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
    void broker() throws Exception {
        broker = EmbeddedBroker.startOnFreePort();
    }

    /** Five consumers over three connections (2 + 2 + 1), as the lab spreads its nodes, where the client asks. */
    private void fleet(boolean signing) throws Exception {
        fleet(signing, signing ? SIGNED_TOPIC : "orch.node.bench-raw");
    }

    /** The topic a client with --signed publishes on. */
    private static final String SIGNED_TOPIC = "orch.node.bench-raw-signed";

    private void fleet(boolean signing, String topic) throws Exception {
        fleet = RawFleet.start(new ActiveMQConnectionFactory(broker.url()), 5, 2, topic,
                RawFleet.body("{\"raw\":\"reply\",\"pad\":\"", 100), signing ? BenchOptions.signingKey() : null);
    }

    @AfterEach
    void stop() {
        if (fleet != null) {
            fleet.close();
        }
        broker.close();
    }

    private int run(int expect, long timeoutMs, StringWriter out, String... more) {
        CommandLine cli = new CommandLine(new RawClientCommand());
        cli.setOut(new PrintWriter(out));
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--insecure", "--broker", broker.url(),
                "--expect", String.valueOf(expect), "--timeout-ms", String.valueOf(timeoutMs)));
        args.addAll(java.util.List.of(more));
        return cli.execute(args.toArray(String[]::new));
    }

    @Test
    void everyConsumerAnswersTheOneMessage() throws Exception {
        fleet(false);
        StringWriter out = new StringWriter();
        assertEquals(0, run(5, 30_000, out), out.toString());
        assertTrue(out.toString().startsWith("{\"answers\":5,\"expected\":5,"), out.toString());
        assertTrue(out.toString().contains("\"complete\":true"), out.toString());
    }

    @Test
    void aClientExpectingMoreThanAnswerSaysSoWithExit4() throws Exception {
        fleet(false);
        StringWriter out = new StringWriter();
        assertEquals(4, run(6, 1_500, out), out.toString());
        assertTrue(out.toString().startsWith("{\"answers\":5,\"expected\":6,"), out.toString());
        assertTrue(out.toString().contains("\"complete\":false"), out.toString());
    }

    @Test
    void signedRepliesCountOnlyOnceTheirSignatureChecksOut() throws Exception {
        fleet(true);
        StringWriter out = new StringWriter();
        assertEquals(0, run(5, 30_000, out, "--signed"), out.toString());
        assertTrue(out.toString().startsWith("{\"answers\":5,\"expected\":5,"), out.toString());
        assertTrue(out.toString().contains("\"bad_signatures\":0"), out.toString());
    }

    @Test
    void aClientCheckingSignaturesCountsNoUnsignedReply() throws Exception {
        fleet(false, SIGNED_TOPIC);
        StringWriter out = new StringWriter();
        assertEquals(4, run(5, 1_500, out, "--signed"), out.toString());
        assertTrue(out.toString().startsWith("{\"answers\":0,\"expected\":5,"), out.toString());
        assertTrue(out.toString().contains("\"bad_signatures\":5"), out.toString());
    }
}
