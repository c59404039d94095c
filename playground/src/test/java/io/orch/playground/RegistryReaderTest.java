package io.orch.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.cli.client.ClientSecurity;
import io.orch.cli.client.OrchClient;
import io.orch.cli.inventory.Announced;
import io.orch.cli.inventory.KnownNode;
import io.orch.cli.inventory.NodeState;
import io.orch.cli.run.Registry;
import io.orch.protocol.bus.Destinations;
import io.orch.protocol.bus.RegistryBarrier;
import io.orch.protocol.envelope.Announcement;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.SecureEnvelope;
import io.orch.trust.Credentials;
import io.orch.trust.Sealer;
import jakarta.jms.Connection;
import jakarta.jms.Session;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.Broker;
import org.apache.activemq.broker.BrokerFilter;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.ProducerBrokerExchange;
import org.apache.activemq.broker.TransportConnector;
import org.apache.activemq.broker.region.policy.LastImageSubscriptionRecoveryPolicy;
import org.apache.activemq.broker.region.policy.PolicyEntry;
import org.apache.activemq.broker.region.policy.PolicyMap;
import org.apache.activemq.command.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the CLI reads the known nodes off a real broker ({@link OrchClient#registry}): everything the broker
 * kept, up to the CLI's own marker; and what it does with a broker that keeps nothing, refuses the marker or
 * never returns it.
 */
class RegistryReaderTest {
    private static final Codec CODEC = new Codec();
    private static final Destinations ORCH = new Destinations("orch");
    private static final Duration WAIT = Duration.ofSeconds(2);

    private BrokerService broker;
    private String url;

    @AfterEach
    void stopBroker() throws Exception {
        if (broker != null) {
            broker.stop();
            broker.waitUntilStopped();
        }
    }

    /** A plain broker on a free loopback port; with {@code retained}, the last-image policy orch's brokers use. */
    private void startBroker(boolean retained, BrokerPlugin... plugins) throws Exception {
        broker = new BrokerService();
        broker.setBrokerName("registry-reader-test");
        broker.setPersistent(false);
        broker.setUseJmx(false);
        broker.setUseShutdownHook(false);
        broker.setAdvisorySupport(false);
        if (retained) {
            PolicyEntry registry = new PolicyEntry();
            registry.setTopic("*.registry.>");
            registry.setSubscriptionRecoveryPolicy(new LastImageSubscriptionRecoveryPolicy());
            PolicyMap policies = new PolicyMap();
            policies.setPolicyEntries(List.of(registry));
            broker.setDestinationPolicy(policies);
        }
        if (plugins.length > 0) {
            broker.setPlugins(plugins);
        }
        TransportConnector connector = broker.addConnector("tcp://127.0.0.1:0");
        broker.start();
        broker.waitUntilStarted();
        url = "tcp://127.0.0.1:" + connector.getConnectUri().getPort();
    }

    private OrchClient client() throws Exception {
        return OrchClient.connect(url, ORCH, Duration.ofSeconds(5), ClientSecurity.of(Cli.PKI.operator(),
                Clock.systemUTC()));
    }

    private static Announcement announcement(String node, Announcement.State state, Instant time) {
        return new Announcement(node, "boot-" + node, time, state, "0.1.0", 600, time.minusSeconds(60));
    }

    /** Publishes {@code announcement}, signed by {@code signer}, on {@code topic} as a node would. */
    private void publish(String topic, Announcement announcement, Credentials signer) throws Exception {
        String body = Sealer.signing(CODEC, signer).seal(SecureEnvelope.Kind.ANNOUNCEMENT, CODEC.encode(announcement));
        try (Connection connection = new ActiveMQConnectionFactory(url).createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createTopic(topic)).send(session.createTextMessage(body));
        }
    }

    private static Map<String, KnownNode> byNode(Registry registry) {
        return registry.announced().stream().map(Announced::node)
                .collect(Collectors.toMap(KnownNode::identity, Function.identity()));
    }

    @Test
    void theLatestAnnouncementOfEveryNodeComesBeforeTheMarkerAndVerifies() throws Exception {
        startBroker(true);
        Instant now = Instant.now();
        Credentials web01 = Cli.PKI.issue("web01", Clock.systemUTC());
        publish(ORCH.registry("web01"), announcement("web01", Announcement.State.UP, now.minusSeconds(60)), web01);
        publish(ORCH.registry("web01"), announcement("web01", Announcement.State.STOPPED, now), web01);
        publish(ORCH.registry("web02"), announcement("web02", Announcement.State.UP, now),
                Cli.PKI.issue("web02", Clock.systemUTC()));

        try (OrchClient client = client()) {
            Registry first = client.registry(WAIT);
            // A second reader meets the first one's marker, kept by the broker, and skips it.
            Registry second = client.registry(WAIT);

            for (Registry registry : List.of(first, second)) {
                assertNull(registry.note());
                Map<String, KnownNode> nodes = byNode(registry);
                assertEquals(List.of("web01", "web02"), nodes.keySet().stream().sorted().toList());
                assertEquals(NodeState.STOPPED, nodes.get("web01").state());
                assertEquals(now, nodes.get("web01").announcedAt());
                registry.announced().forEach(a -> assertNull(a.verify(), a.node()::toString));
            }
            assertEquals(List.of(), client.unverified());
        }
    }

    @Test
    void anAnnouncementSignedByAnotherNodeFailsItsCheckAndIsNoted() throws Exception {
        startBroker(true);
        // web02 writes on web01's topic, in web01's name: only the signature can tell.
        publish(ORCH.registry("web01"), announcement("web01", Announcement.State.STOPPED, Instant.now()),
                Cli.PKI.issue("web02", Clock.systemUTC()));

        try (OrchClient client = client()) {
            Registry registry = client.registry(WAIT);
            assertEquals(1, registry.announced().size());
            assertNotNull(registry.announced().get(0).verify());
            assertEquals("announcement", client.unverified().get(0).kind());
            assertEquals("web01", client.unverified().get(0).claimed());
        }
    }

    @Test
    void anAnnouncementOnAnotherNodesTopicIsNotTaken() throws Exception {
        startBroker(true);
        publish(ORCH.registry("web09"), announcement("web01", Announcement.State.UP, Instant.now()),
                Cli.PKI.issue("web01", Clock.systemUTC()));

        try (OrchClient client = client()) {
            Registry registry = client.registry(WAIT);
            assertEquals(List.of(), registry.announced());
            assertEquals(1, client.dropped());
        }
    }

    @Test
    void aBrokerThatKeepsNothingGivesAnEmptyListWithoutANote() throws Exception {
        startBroker(false);
        publish(ORCH.registry("web01"), announcement("web01", Announcement.State.UP, Instant.now()),
                Cli.PKI.issue("web01", Clock.systemUTC()));

        try (OrchClient client = client()) {
            Registry registry = client.registry(WAIT);
            assertEquals(List.of(), registry.announced());
            assertNull(registry.note());
        }
    }

    @Test
    void aBrokerThatRefusesTheMarkerLeavesANoteInsteadOfFailingTheRun() throws Exception {
        startBroker(true, dropping(true));

        try (OrchClient client = client()) {
            Registry registry = client.registry(WAIT);
            assertTrue(registry.note().startsWith("the broker refused this host's marker on orch.registry.~sync"),
                    registry.note());
        }
    }

    @Test
    void aMarkerThatNeverComesBackEndsTheWaitAtItsBound() throws Exception {
        startBroker(true, dropping(false));

        try (OrchClient client = client()) {
            Registry registry = client.registry(Duration.ofMillis(300));
            assertTrue(registry.note().startsWith("the broker did not return this host's marker on "
                    + "orch.registry.~sync within 300 ms"), registry.note());
        }
    }

    @Test
    void orchInventoryListsTheKnownNodesAndAForgottenOneStaysOutThoughTheBrokerStillHoldsIt() throws Exception {
        startBroker(true);
        Instant now = Instant.now();
        publish(ORCH.registry("web01"), announcement("web01", Announcement.State.UP, now.minusSeconds(90)),
                Cli.PKI.issue("web01", Clock.systemUTC()));
        publish(ORCH.registry("web02"), announcement("web02", Announcement.State.STOPPED, now),
                Cli.PKI.issue("web02", Clock.systemUTC()));

        Cli.Result table = Cli.run("inventory", "--broker", url);
        assertEquals(0, table.exitCode(), table::toString);
        List<String> lines = table.out().lines().toList();
        assertEquals(List.of("IDENTITY", "STATE", "LAST", "ANNOUNCED", "AGE", "VERSION", "BOOT", "ID"),
                List.of(lines.get(0).split("\\s+")), table::toString);
        assertTrue(lines.get(1).matches("web01 +up +" + now.minusSeconds(90).truncatedTo(ChronoUnit.SECONDS)
                + " +[0-9]+s +0\\.1\\.0 +boot-web01"),
                table::toString);
        assertTrue(lines.get(2).matches("web02 +stopped .*"), table::toString);
        assertTrue(table.out().contains("2 known node(s): 1 stopped, 1 up"), table::toString);

        Cli.Result forget = Cli.run("inventory", "--forget", "web01", "--broker", url);
        assertEquals(0, forget.exitCode(), forget::toString);
        assertTrue(forget.out().startsWith("forgot web01 (last announced up "), forget::toString);

        // The broker still holds web01's announcement; forgotten, it is not known again until it announces anew.
        Cli.Result json = Cli.run("inventory", "--json", "--broker", url);
        assertEquals(0, json.exitCode(), json::toString);
        com.fasterxml.jackson.databind.JsonNode listed = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(json.out());
        assertEquals("registry", listed.get("source").asText(), json::toString);
        assertEquals(1, listed.get("nodes").size(), json::toString);
        assertEquals("web02", listed.at("/nodes/0/identity").asText(), json::toString);
        assertEquals("stopped", listed.at("/nodes/0/state").asText(), json::toString);

        publish(ORCH.registry("web01"), announcement("web01", Announcement.State.UP, Instant.now()),
                Cli.PKI.issue("web01", Clock.systemUTC()));
        assertTrue(Cli.run("inventory", "--broker", url).out().contains("web01 "));
    }

    @Test
    void orchInventoryForgetRefusesAnIdentityThatCannotBeOne() {
        Cli.Result result = Cli.run("inventory", "--forget", "web*", "--broker", "tcp://127.0.0.1:1");
        assertEquals(2, result.exitCode(), result::toString);
        assertTrue(result.err().startsWith("orch: --forget: invalid identity 'web*'"), result::toString);
    }

    /** A broker that refuses (as an ACL would) or silently loses every registry marker. */
    private static BrokerPlugin dropping(boolean refuse) {
        return (Broker next) -> new BrokerFilter(next) {
            @Override
            public void send(ProducerBrokerExchange exchange, Message message) throws Exception {
                if (message.getProperty(RegistryBarrier.TOKEN_PROPERTY) != null) {
                    if (refuse) {
                        throw new SecurityException("User lab-operator is not authorized to write to: "
                                + "topic://orch.registry.~sync");
                    }
                    return;
                }
                super.send(exchange, message);
            }
        };
    }
}
