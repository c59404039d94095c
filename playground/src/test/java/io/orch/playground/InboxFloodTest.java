package io.orch.playground;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orch.cli.ExitCode;
import io.orch.cli.client.ClientSecurity;
import io.orch.cli.client.OrchClient;
import io.orch.cli.run.EventFeed;
import io.orch.protocol.Limits;
import io.orch.protocol.bus.Destinations;
import io.orch.protocol.bus.MessageBodies;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.EventType;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.envelope.SecureEnvelope;
import io.orch.protocol.payload.PingData;
import io.orch.protocol.payload.RebootFailedData;
import io.orch.trust.Sealer;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One compromised node (a certificate of the site's CA for a name of its own, so everything it signs for
 * itself is verified) floods the CLI with large or repeated messages, over the real TLS broker: it cannot
 * fill the CLI's memory, and it cannot push the other nodes' replies or events out of the CLI's inboxes.
 * What is dropped is counted.
 */
class InboxFloodTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Codec CODEC = new Codec();
    private static final Destinations BUS = new Destinations(Destinations.DEFAULT_COLLECTIVE);
    private static final Clock CLOCK = Clock.systemUTC();
    private static final String ROGUE = "rogue-01";

    @TempDir
    Path state;

    /** A text of {@code chars} characters that keeps a sealed message under {@link Limits#MAX_BODY_BYTES}. */
    private static String filler(int chars) {
        return "x".repeat(chars);
    }

    /**
     * While a run does not read its events (it is discovering, or sending a batch), the rogue publishes more
     * than {@link Limits#MAX_CLI_INBOX_BYTES} of its own large events, and 150 small events claiming to be
     * lab-0001 signed with its own key; then three real nodes publish one event each. Without a cap per node
     * the rogue's flood would fill the inbox and the real events would be dropped; with it, the rogue keeps
     * {@link Limits#MAX_CLI_EVENTS_PER_NODE}, the forgeries use up nobody's allowance, and all three real
     * events are read.
     */
    @Test
    void oneNodeFloodingLargeEventsCannotPushOutTheOtherNodesEvents() throws Exception {
        Sealer rogue = Sealer.signing(CODEC, Cli.PKI.issue(ROGUE, CLOCK));
        String big = rogue.seal(SecureEnvelope.Kind.EVENT, CODEC.encode(failed(ROGUE, filler(180_000))));
        assertTrue(big.length() < Limits.MAX_BODY_BYTES, "a message the broker and the CLI accept: " + big.length());
        int flood = (int) (Limits.MAX_CLI_INBOX_BYTES / big.length()) + 50;
        List<String> real = List.of("lab-0001", "lab-0002", "lab-0003");

        try (SchemaCheckedBroker broker = SchemaCheckedBroker.start();
             OrchClient client = OrchClient.connect(broker.url(), BUS, Duration.ofSeconds(10),
                     ClientSecurity.of(Cli.PKI.operator(), CLOCK));
             EventFeed feed = client.events();
             Publisher publisher = new Publisher(broker.url())) {
            for (int i = 0; i < 150; i++) {
                publisher.event(rogue.seal(SecureEnvelope.Kind.EVENT, CODEC.encode(failed("lab-0001", "forged " + i))));
            }
            for (int i = 0; i < flood; i++) {
                publisher.event(big);
            }
            for (String node : real) {
                publisher.event(Sealer.signing(CODEC, Cli.PKI.issue(node, CLOCK)).seal(SecureEnvelope.Kind.EVENT,
                        CODEC.encode(failed(node, "real"))));
            }
            // Nobody reads the feed until the whole flood went through the listener (the real events come after
            // it, in order): only then does anything fill up.
            long expectedDropped = flood - Limits.MAX_CLI_EVENTS_PER_NODE;
            await().atMost(Duration.ofMinutes(2)).until(() -> client.dropped() >= expectedDropped);

            Map<String, Integer> read = new TreeMap<>();
            while (!read.keySet().containsAll(real)) {
                EventFeed.Polled polled = feed.poll(TimeUnit.SECONDS.toNanos(30));
                if (!(polled instanceof EventFeed.Received received)) {
                    break; // nothing more came: the assertions below say what is missing
                }
                read.merge(received.event().node(), 1, Integer::sum);
            }
            assertEquals(Map.of("lab-0001", 1, "lab-0002", 1, "lab-0003", 1, ROGUE,
                    Limits.MAX_CLI_EVENTS_PER_NODE), read, "events read per node");
            assertEquals(expectedDropped, client.dropped(), "the rogue's events past its allowance, and nothing else");
            assertEquals(150, client.unverified().size(), "every forgery noted, none counted");
        }
    }

    /**
     * The rogue answers the {@code ping} broadcast first with a reply claiming to be lab-0001 (signed with its
     * own key), then with 200 copies of its own 20 KB reply. The forgery is listed as unverified and does not
     * take lab-0001's place; of the rogue's copies the CLI keeps the first and the fact that there were more
     * (so it is reported as two responders with one identity) and drops the rest before they take room in
     * its inbox; every lab node's own reply counts.
     */
    @Test
    void oneNodeFloodingCopiesOfItsReplyIsReportedOnceAndTheOthersStillCount() throws Exception {
        Sealer rogue = Sealer.signing(CODEC, Cli.PKI.issue(ROGUE, CLOCK));
        int copies = 200;
        try (LabFixture fixture = LabFixture.start(3, 0.0, 51, state);
             Publisher flooder = new Publisher(fixture.url())) {
            flooder.answerBroadcasts(request -> {
                List<String> answers = new ArrayList<>();
                answers.add(rogue.seal(SecureEnvelope.Kind.REPLY, CODEC.encode(pong(request, "lab-0001", "forged"))));
                String copy = rogue.seal(SecureEnvelope.Kind.REPLY, CODEC.encode(pong(request, ROGUE,
                        filler(20_000))));
                for (int i = 0; i < copies; i++) {
                    answers.add(copy);
                }
                return answers;
            });

            // lab-0004 does not exist, so discovery collects for its whole --discovery-timeout: time for every
            // copy to arrive (on a busy machine 200 of them take a few seconds through the broker).
            Path inventory = state.resolve("nodes.txt");
            java.nio.file.Files.writeString(inventory, "lab-0001\nlab-0002\nlab-0003\nlab-0004\n" + ROGUE + "\n");
            // The -I regex makes it a broadcast (the rogue answers broadcasts); the list still says who counts.
            Cli.Result result = Cli.run("ping", "--json", "--nodes", inventory.toString(), "-I", "/./",
                    "--discovery-timeout", "20s", "--broker", fixture.url());
            flooder.assertNoFailures();

            JsonNode report = JSON.readTree(result.out());
            assertEquals(ExitCode.NODE_FAILED, result.exitCode(), result::toString);
            for (String node : List.of("lab-0001", "lab-0002", "lab-0003")) {
                JsonNode row = row(report, node);
                assertEquals("ok", row.get("status").asText(), result::toString);
                assertFalse(row.get("message").asText().contains("forged"), result::toString);
            }
            assertEquals("no_response", row(report, "lab-0004").get("status").asText(), result::toString);
            JsonNode rogueRow = row(report, ROGUE);
            assertEquals("failed", rogueRow.get("status").asText(), result::toString);
            assertTrue(rogueRow.get("message").asText().contains("more than one responder"), result::toString);
            assertEquals(copies - 2, report.get("dropped").asLong(), "the copies past the first two: " + result);
            assertEquals(1, report.get("unverified").size(), result::toString);
            assertEquals("lab-0001", report.get("unverified").get(0).get("claimed_node").asText(), result::toString);
        }
    }

    private static Event failed(String node, String error) {
        return new Event(EventType.REBOOT_FAILED, node, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                Instant.now(), new RebootFailedData(error));
    }

    private static Reply pong(Request request, String node, String message) {
        return new Reply(request.id(), node, request.action().wireName(), true, ReplyStatus.OK, message,
                new PingData(UUID.randomUUID().toString(), 60), Instant.now());
    }

    private static JsonNode row(JsonNode report, String identity) {
        for (JsonNode node : report.get("nodes")) {
            if (node.get("identity").asText().equals(identity)) {
                return node;
            }
        }
        throw new AssertionError("no row for " + identity + " in " + report.toPrettyString());
    }

    /** What a flooder sends back for a request it saw: sealed replies, in order. */
    interface Answers {
        List<String> to(Request request) throws Exception;
    }

    /** A node's connection to the broker (the lab's node certificate), publishing what it is given. */
    private static final class Publisher implements AutoCloseable {
        private final Connection connection;
        private final Session session;
        private final MessageProducer producer;
        private final List<Throwable> failures = new CopyOnWriteArrayList<>();

        Publisher(String url) throws Exception {
            ActiveMQConnectionFactory factory = Cli.PKI.connectionFactory(url);
            factory.setWatchTopicAdvisories(false);
            connection = factory.createConnection();
            try {
                connection.start();
                session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                producer = session.createProducer(null);
                producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            } catch (Exception e) {
                connection.close();
                throw e;
            }
        }

        void event(String sealed) throws Exception {
            producer.send(session.createTopic(BUS.events()), session.createTextMessage(sealed));
        }

        /** Answers every request on the broadcast with {@code answers}, to its reply queue, as a node would. */
        void answerBroadcasts(Answers answers) throws Exception {
            Session listening = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer replies = listening.createProducer(null);
            replies.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            listening.createConsumer(listening.createTopic(BUS.broadcast())).setMessageListener(message -> {
                try {
                    Request request = CODEC.decodeRequest(MessageBodies.text(message));
                    for (String sealed : answers.to(request)) {
                        TextMessage reply = listening.createTextMessage(sealed);
                        reply.setJMSCorrelationID(message.getJMSCorrelationID());
                        replies.send(message.getJMSReplyTo(), reply);
                    }
                } catch (Exception | AssertionError e) {
                    failures.add(e);
                }
            });
        }

        void assertNoFailures() {
            if (!failures.isEmpty()) {
                AssertionError error = new AssertionError("the flooder failed: " + failures.get(0));
                failures.forEach(error::addSuppressed);
                throw error;
            }
        }

        @Override
        public void close() throws Exception {
            connection.close();
        }
    }
}
