package io.orch.playground;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.playground.broker.EmbeddedBroker;
import io.orch.playground.lab.Lab;
import io.orch.playground.lab.LabNode;
import io.orch.playground.lab.LabSpec;
import io.orch.playground.lab.LabTiming;
import io.orch.protocol.Limits;
import io.orch.protocol.bus.Destinations;
import io.orch.protocol.bus.RegistryBarrier;
import io.orch.protocol.envelope.Announcement;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.SecureEnvelope;
import io.orch.responder.security.NodeSecurity;
import io.orch.trust.Verifier;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.region.policy.LastImageSubscriptionRecoveryPolicy;
import org.apache.activemq.broker.region.policy.PolicyEntry;
import org.apache.activemq.command.ActiveMQTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inventory's foundation on the broker {@code orch broker} runs: the broker keeps each node's latest
 * announcement, a retroactive reader gets one per node and then its own marker, in that order, and the
 * recovery of thousands is not cut by the slow-consumer limit of the other topics.
 */
class RegistryOverBrokerTest {
    private static final Codec CODEC = new Codec();
    private static final Destinations ORCH = new Destinations("orch");

    @TempDir
    Path state;

    /** One registry message as a reader took it: the topic it came on, its body, its marker token if any. */
    private record Taken(String topic, String body, String token) {
    }

    /** A reader of every registry topic; retroactive: it is handed what the broker kept at once. */
    private static final class Reader implements AutoCloseable {
        final List<Taken> taken = new CopyOnWriteArrayList<>();
        final Connection connection;
        final Session session;

        Reader(ActiveMQConnectionFactory factory, boolean retroactive) throws Exception {
            factory.setWatchTopicAdvisories(false);
            connection = factory.createConnection();
            connection.start();
            session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            String name = ORCH.registryWildcard() + (retroactive ? "?consumer.retroactive=true" : "");
            session.createConsumer(session.createTopic(name)).setMessageListener(this::take);
        }

        void take(Message m) {
            try {
                taken.add(new Taken(((Topic) m.getJMSDestination()).getTopicName(), ((TextMessage) m).getText(),
                        RegistryBarrier.token(m).orElse(null)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** Publishes this reader's marker on the barrier topic; returns its token. */
        String mark() throws Exception {
            String token = UUID.randomUUID().toString();
            MessageProducer producer = session.createProducer(session.createTopic(ORCH.registryBarrier()));
            producer.send(RegistryBarrier.marker(session, token), DeliveryMode.NON_PERSISTENT, Message.DEFAULT_PRIORITY,
                    RegistryBarrier.TTL_MS);
            return token;
        }

        /** The announcements before this reader's marker, once the marker has come. */
        List<Taken> untilMarker(String token) {
            await().atMost(Duration.ofSeconds(60)).until(() -> taken.stream().anyMatch(t -> token.equals(t.token())));
            List<Taken> before = new ArrayList<>();
            for (Taken t : taken) {
                if (token.equals(t.token())) {
                    return before;
                }
                if (t.token() == null) {
                    before.add(t);
                }
            }
            throw new AssertionError("unreachable");
        }

        @Override
        public void close() throws Exception {
            connection.close();
        }
    }

    /** Decoded, verified as from the node it names, on that node's topic: or the test fails. */
    private static Announcement believed(Taken taken, Verifier verifier) throws Exception {
        SecureEnvelope envelope = CODEC.decodeEnvelope(taken.body(), SecureEnvelope.Kind.ANNOUNCEMENT);
        Announcement a = CODEC.decodeAnnouncement(envelope.body());
        assertEquals(a.node(), verifier.verify(envelope, a.node()).name(), "signed by the node it names");
        assertEquals(ORCH.registryIdentity(taken.topic()).orElseThrow(), a.node(), "on its own topic");
        return a;
    }

    private static Map<String, Announcement.State> latestStates(List<Taken> taken, Verifier verifier) throws Exception {
        Map<String, Announcement.State> out = new LinkedHashMap<>();
        for (Taken t : taken) {
            Announcement a = believed(t, verifier);
            out.put(a.node(), a.state());
        }
        return out;
    }

    @Test
    void theRegistryTopicsHaveAPolicyOfTheirOwnAndTheOthersKeepTheGeneralOne() {
        var policies = EmbeddedBroker.destinationPolicy();
        for (String registry : List.of("orch.registry.web01", "orch.registry.web01.example.com", "orch.registry.~sync",
                "staging.registry.db1")) {
            PolicyEntry entry = policies.getEntryFor(new ActiveMQTopic(registry));
            assertTrue(entry.getSubscriptionRecoveryPolicy() instanceof LastImageSubscriptionRecoveryPolicy, registry);
            assertEquals(Limits.MAX_BROKER_REGISTRY_PENDING,
                    entry.getPendingMessageLimitStrategy().getMaximumPendingMessageLimit(null), registry);
        }
        for (String other : List.of("orch.events", "orch.broadcast", "orch.node.web01", "orch.node.registry")) {
            PolicyEntry entry = policies.getEntryFor(new ActiveMQTopic(other));
            assertEquals(Limits.MAX_BROKER_TOPIC_PENDING,
                    entry.getPendingMessageLimitStrategy().getMaximumPendingMessageLimit(null), other);
            assertTrue(!(entry.getSubscriptionRecoveryPolicy() instanceof LastImageSubscriptionRecoveryPolicy), other);
        }
    }

    @Test
    void aReaderThatComesLateGetsTheLatestOfEveryLabNodeThenItsMarker() throws Exception {
        Verifier verifier = Verifier.of(Cli.PKI.siteCa(), Clock.systemUTC());
        try (SchemaCheckedBroker broker = SchemaCheckedBroker.start();
             Reader live = new Reader(NodeSecurity.connectionFactory(broker.url(), Cli.PKI.operator()), false)) {
            Lab lab = Lab.start(new LabSpec(50, 0.0, 11, broker.url(), null, state.resolve("lab"),
                    new LabTiming(0, Duration.ofMillis(500)), 10, Cli.PKI));
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> live.taken.size() >= 50);
                List<String> stopped = lab.nodes().stream().map(LabNode::identity).sorted().limit(10).toList();
                for (String id : stopped) {
                    lab.node(id).stop();
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> live.taken.size() >= 60);
                assertEquals(60, live.taken.size(), "50 up, 10 stopped");

                try (Reader late = new Reader(NodeSecurity.connectionFactory(broker.url(), Cli.PKI.operator()), true)) {
                    String token = late.mark();
                    List<Taken> recovered = late.untilMarker(token);
                    assertEquals(50, recovered.size(), "one per node");
                    Map<String, Announcement.State> states = latestStates(recovered, verifier);
                    assertEquals(50, states.size(), "no node twice");
                    for (LabNode node : lab.nodes()) {
                        assertEquals(stopped.contains(node.identity()) ? Announcement.State.STOPPED
                                : Announcement.State.UP, states.get(node.identity()), node.identity());
                    }
                    // A second reader skips the first one's marker, which the broker kept too.
                    try (Reader second = new Reader(NodeSecurity.connectionFactory(broker.url(), Cli.PKI.operator()),
                            true)) {
                        String own = second.mark();
                        assertEquals(50, second.untilMarker(own).size());
                        assertTrue(second.taken.stream().anyMatch(t -> token.equals(t.token())),
                                "the first reader's marker was kept and handed over, and is not taken for this one's");
                    }
                }
            } finally {
                lab.close();
            }
        }
    }

    @Test
    void aSimulatedRebootLooksLikeARealOneOnTheRegistry() throws Exception {
        Verifier verifier = Verifier.of(Cli.PKI.siteCa(), Clock.systemUTC());
        try (SchemaCheckedBroker broker = SchemaCheckedBroker.start();
             Reader live = new Reader(NodeSecurity.connectionFactory(broker.url(), Cli.PKI.operator()), false)) {
            Lab lab = Lab.start(new LabSpec(2, 1.0, 5, broker.url(), null, state.resolve("lab"),
                    new LabTiming(0, Duration.ofMillis(500)), 10, Cli.PKI));
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> live.taken.size() >= 2);
                String id = lab.nodes().get(0).identity();
                String bootBefore = lab.node(id).bootId().strip();
                Cli.Result run = Cli.run("reboot", "-I", id, "--yes", "--delay", "0", "--json", "--broker", broker.url());
                assertEquals(0, run.exitCode(), run::toString);
                await().atMost(Duration.ofSeconds(60)).until(() -> live.taken.stream()
                        .filter(t -> t.topic().equals(ORCH.registry(id))).count() >= 3);
                List<Announcement> seen = new ArrayList<>();
                for (Taken t : live.taken) {
                    if (t.topic().equals(ORCH.registry(id))) {
                        seen.add(believed(t, verifier));
                    }
                }
                assertEquals(List.of(Announcement.State.UP, Announcement.State.REBOOTING, Announcement.State.UP),
                        seen.stream().map(Announcement::state).toList());
                assertEquals(bootBefore, seen.get(1).bootId(), "going down on the old boot");
                assertNotEquals(bootBefore, seen.get(2).bootId(), "back on a new one");
                assertTrue(seen.get(2).startedAt().isAfter(seen.get(0).startedAt()), "a new responder");
            } finally {
                lab.close();
            }
        }
    }

    @Test
    void theRecoveryOfThreeThousandIsNotCutByTheSlowConsumerLimit() throws Exception {
        int nodes = 3000; // three times the limit of the other topics
        // Without the schema check: the codec wrote these, and checking 3,000 would only cost time.
        try (EmbeddedBroker broker = EmbeddedBroker.startOnFreePort()) {
            ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.url());
            factory.setWatchTopicAdvisories(false);
            factory.setUseAsyncSend(true);
            try (Connection connection = factory.createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(null);
                producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
                Instant now = Instant.now();
                for (int i = 0; i < nodes; i++) {
                    String id = String.format("bulk-%05d", i);
                    producer.send(session.createTopic(ORCH.registry(id)), session.createTextMessage(
                            CODEC.encodeUnsigned(new Announcement(id, "", now, Announcement.State.STOPPED, "0.1.0",
                                    600, now))));
                }
            }
            // As the CLI reads: a bounded prefetch, so the rest waits at the broker, where the limit applies.
            ActiveMQConnectionFactory readerFactory = new ActiveMQConnectionFactory(broker.url());
            readerFactory.getPrefetchPolicy().setTopicPrefetch(Limits.CLI_PREFETCH);
            try (Reader late = new Reader(readerFactory, true)) {
                String token = late.mark();
                List<Taken> recovered = late.untilMarker(token);
                Set<String> topics = new HashSet<>();
                for (Taken t : recovered) {
                    topics.add(t.topic());
                    Announcement a = CODEC.decodeAnnouncement(CODEC.decodeEnvelope(t.body(),
                            SecureEnvelope.Kind.ANNOUNCEMENT).body());
                    assertEquals(Announcement.State.STOPPED, a.state(), a.node());
                }
                assertEquals(nodes, recovered.size());
                assertEquals(nodes, topics.size());
            }
        }
    }
}
