package io.orch.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.orch.playground.lab.Lab;
import io.orch.playground.lab.LabNode;
import io.orch.playground.lab.LabSpec;
import io.orch.playground.lab.LabTiming;
import io.orch.playground.broker.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.activemq.broker.Broker;
import org.apache.activemq.broker.BrokerFilter;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.ConnectionContext;
import org.apache.activemq.broker.region.AbstractRegion;
import org.apache.activemq.broker.region.Destination;
import org.apache.activemq.broker.region.RegionBroker;
import org.apache.activemq.command.ActiveMQDestination;
import org.apache.activemq.command.DestinationInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lab makes its nodes' own topics before any node subscribes: ActiveMQ offers each new destination to every
 * subscription the broker holds, which made a 10,000-node lab's start quadratic on a fresh broker.
 */
class LabTopicsTest {
    private static final int NODES = 30;

    @TempDir
    Path dir;

    @Test
    void everyNodesTopicsAreMadeBeforeAnySubscriptionAndOnlyOnce() throws Exception {
        TopicsMade made = new TopicsMade();
        EmbeddedBroker broker = Cli.PKI.startBroker("127.0.0.1", 0, Clock.systemUTC(), made);
        try {
            LabTiming timing = new LabTiming(0, Duration.ofMillis(500));
            try (Lab lab = Lab.start(new LabSpec(NODES, 0, 5, broker.url(), null, dir.resolve("one"), timing, 10,
                    Cli.PKI))) {
                assertEquals(NODES, lab.nodes().stream().filter(LabNode::up).count());
            }
            // A node's direct topic and its registry topic, each made once, when no consumer was on any topic.
            assertEquals(2 * NODES, made.subscriptionsWhenMade.size(), made.subscriptionsWhenMade.toString());
            assertEquals(Map.of(), made.madeAgain);
            for (int i = 0; i < NODES; i++) {
                String identity = new LabSpec(NODES, 0, 5, broker.url(), null, dir, timing, 10, Cli.PKI).identity(i);
                assertEquals(0, made.subscriptionsWhenMade.get("orch.node." + identity), identity);
                assertEquals(0, made.subscriptionsWhenMade.get("orch.registry." + identity), identity);
            }

            // A second lab of the same nodes finds their topics: nothing is made again.
            try (Lab again = Lab.start(new LabSpec(NODES, 0, 5, broker.url(), null, dir.resolve("two"), timing, 10,
                    Cli.PKI))) {
                assertEquals(NODES, again.nodes().stream().filter(LabNode::up).count());
            }
            assertEquals(2 * NODES, made.subscriptionsWhenMade.size(), made.subscriptionsWhenMade.toString());
            assertEquals(Map.of(), made.madeAgain);
        } finally {
            broker.close();
        }
    }

    /** Records, for each node or registry topic the broker makes, how many topic subscriptions it held then. */
    static final class TopicsMade implements BrokerPlugin {
        final Map<String, Integer> subscriptionsWhenMade = new ConcurrentHashMap<>();
        /** Topics made more than once (none should be: a made topic stays). */
        final Map<String, Integer> madeAgain = new ConcurrentHashMap<>();

        @Override
        public Broker installPlugin(Broker broker) {
            return new BrokerFilter(broker) {
                // Made by a consumer or a message of a node (the broker's own lookup comes through here) ...
                @Override
                public Destination addDestination(ConnectionContext context, ActiveMQDestination destination,
                                                  boolean createIfTemporary) throws Exception {
                    made(destination);
                    return super.addDestination(context, destination, createIfTemporary);
                }

                // ... or asked for by name (the broker makes those without coming back through the filters).
                @Override
                public void addDestinationInfo(ConnectionContext context, DestinationInfo info) throws Exception {
                    made(info.getDestination());
                    super.addDestinationInfo(context, info);
                }

                private void made(ActiveMQDestination destination) {
                    String name = destination.getPhysicalName();
                    boolean ours = destination.isTopic() && (name.startsWith("orch.node.")
                            || name.startsWith("orch.registry.lab-"));
                    if (ours && !getDestinationMap().containsKey(destination)) {
                        RegionBroker regions = (RegionBroker) getAdaptor(RegionBroker.class);
                        int subscriptions = ((AbstractRegion) regions.getTopicRegion()).getSubscriptions().size();
                        if (subscriptionsWhenMade.putIfAbsent(name, subscriptions) != null) {
                            madeAgain.merge(name, 1, Integer::sum);
                        }
                    }
                }
            };
        }
    }
}
