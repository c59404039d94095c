package io.orch.playground.lab;

import io.orch.protocol.Limits;
import io.orch.protocol.bus.Destinations;
import io.orch.protocol.envelope.Codec;
import io.orch.responder.bus.NodeConnections;
import io.orch.responder.security.NodeSecurity;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.activemq.ActiveMQConnection;
import org.apache.activemq.AsyncCallback;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.command.ActiveMQTopic;
import org.apache.activemq.command.ConnectionId;
import org.apache.activemq.command.DestinationInfo;

/** A fleet of lab nodes on one broker. */
public final class Lab implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Lab.class);
    private final LabSpec spec;
    private final List<LabNode> nodes = new ArrayList<>();
    private final List<Connection> connections = new ArrayList<>();
    private final Set<String> pending = new TreeSet<>();
    private final ScheduledExecutorService scheduler;
    /**
     * Writes the audit lines of every node's requests that have no action to follow, once the nodes are idle:
     * the nodes' replies to a broadcast leave first, their audit files are written after (see
     * {@link io.orch.responder.bus.NodeEndpoint} and {@link IdleAuditWriter}).
     */
    private final IdleAuditWriter auditWriter = new IdleAuditWriter();
    /** One codec for every node: it holds no node's state, and each of its own costs some 20 KB. */
    private final Codec codec = new Codec();
    private final Destinations destinations;

    private Lab(LabSpec spec) {
        this.spec = spec;
        this.destinations = new Destinations(spec.collective());
        this.scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "lab-reboots");
            t.setDaemon(true);
            return t;
        });
    }

    /** Builds every node's tree, connects and boots them all; returns once all are subscribed. */
    public static Lab start(LabSpec spec) throws Exception {
        Lab lab = new Lab(spec);
        try {
            lab.build();
        } catch (Exception e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    private void build() throws Exception {
        Random random = new Random(spec.seed());
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < spec.nodes(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        Set<Integer> pendingIndexes = new TreeSet<>(order.subList(0, spec.pendingCount()));
        NodeImage.Distro[] distros = NodeImage.Distro.values();
        // Every node's share of the seed is drawn first, in the order it always was, so the same seed still
        // gives the same lab while the trees are written and the nodes booted in parallel below.
        NodeImage.Plan[] plans = new NodeImage.Plan[spec.nodes()];
        for (int i = 0; i < spec.nodes(); i++) {
            boolean isPending = pendingIndexes.contains(i);
            plans[i] = NodeImage.Plan.draw(spec.identity(i), distros[random.nextInt(distros.length)], isPending,
                    random);
            if (isPending) {
                pending.add(plans[i].identity());
            }
        }

        // As a real node connects: failover, so the lab outlives a broker restart and says so in its log;
        // unlike a daemon, it gives up at start when no broker answers.
        String url = NodeConnections.url(spec.brokerUrl(), Limits.LAB_STARTUP_CONNECT_ATTEMPTS);
        ActiveMQConnectionFactory factory = spec.pki() == null ? new ActiveMQConnectionFactory(url)
                : spec.pki().connectionFactory(url);
        NodeConnections.configure(factory);
        // Sessions share a small pool instead of a thread each: a thousand nodes on two cores.
        factory.setUseDedicatedTaskRunner(false);
        // At most one task per session is queued, so a pool as large as a connection's nodes never refuses one.
        factory.setMaxThreadPoolSize(spec.nodesPerConnection() + 2);
        createTopics(factory, plans);
        int perConnection = spec.nodesPerConnection();
        int connectionCount = (spec.nodes() + perConnection - 1) / perConnection;
        LabNode[] built = new LabNode[spec.nodes()];
        // A node's start is mostly waiting (the broker confirming its session and consumers, the disk) and
        // signing (its certificate, its first event): a few builders, each taking one connection's nodes at a
        // time, keep both cores busy where one thread left them idle. One connection stays one builder's, so
        // its nodes subscribe in order, as before.
        int builders = Math.min(connectionCount, BUILDERS);
        ExecutorService pool = Executors.newFixedThreadPool(builders, r -> {
            Thread t = new Thread(r, "lab-build");
            t.setDaemon(true);
            return t;
        });
        AtomicBoolean failed = new AtomicBoolean();
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int c = 0; c < connectionCount; c++) {
                int from = c * perConnection;
                int to = Math.min(spec.nodes(), from + perConnection);
                String name = "lab connection " + (c + 1) + "/" + connectionCount + " (nodes " + spec.identity(from)
                        + " to " + spec.identity(to - 1) + ")";
                tasks.add(pool.submit(() -> {
                    if (failed.get()) {
                        return null;
                    }
                    try {
                        buildConnection(factory, name, plans, from, to, built);
                    } catch (Exception | Error e) {
                        failed.set(true);
                        throw e;
                    }
                    return null;
                }));
            }
            for (Future<?> task : tasks) {
                try {
                    task.get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof Exception ex) {
                        throw ex;
                    }
                    throw (Error) cause;
                }
            }
            if (spec.pki() != null) {
                try {
                    spec.pki().keepNodeKeys();
                } catch (java.io.IOException e) {
                    log.warn("could not keep the lab nodes' keys in {} for the next lab ({}); it will make them anew",
                            spec.pki().dir(), e.toString());
                }
            }
        } finally {
            pool.shutdownNow();
            // After a failure other builders may still be connecting or booting: wait for them, so that every
            // connection and node they made is in the lists close() goes through.
            try {
                if (!pool.awaitTermination(60, TimeUnit.SECONDS)) {
                    log.warn("lab builders still busy after 60 s; some nodes may be left running");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // Nodes booted before a failure are shut down by close() with the rest.
            for (LabNode node : built) {
                if (node != null) {
                    nodes.add(node);
                }
            }
        }
    }

    /**
     * Makes every node's own topics (its direct topic and its registry topic) on the broker before any node
     * subscribes. ActiveMQ offers a new destination to every subscription it holds (its
     * {@code AbstractRegion.addSubscriptionsForDestination} walks them all), so when each of 10,000 nodes made
     * its two topics while the others' 20,000 subscriptions existed, a fresh broker spent some 2 × 10⁸ such
     * matches: about 137 s of its CPU for a 10,000-node lab (docs/benchmarks.md). Made first, each meets no
     * subscription; the nodes then find them. Topics that exist already (a broker that saw this lab before)
     * are found, not made again. Only a head start: when the broker refuses, each node makes its own as before.
     */
    private void createTopics(ActiveMQConnectionFactory factory, NodeImage.Plan[] plans)
            throws JMSException, InterruptedException {
        if (plans.length == 0) {
            return;
        }
        ActiveMQConnection connection = (ActiveMQConnection) factory.createConnection();
        try {
            // A broker that cannot be reached fails the lab here, as it would in the builders below.
            connection.start();
            ConnectionId id = connection.getConnectionInfo().getConnectionId();
            List<String> topics = new ArrayList<>(2 * plans.length);
            for (NodeImage.Plan plan : plans) {
                topics.add(destinations.node(plan.identity()));
                topics.add(destinations.registry(plan.identity()));
            }
            // The first one alone: a broker that refuses it says so once, not once for each of 20,000.
            try {
                connection.syncSendPacket(add(id, topics.get(0)), (int) Limits.LAB_TOPICS_WAIT_MS);
            } catch (JMSException e) {
                log.info("lab: the broker did not make the nodes' topics ahead ({}); each node makes its own",
                        e.getMessage());
                return;
            }
            // The rest without waiting for each answer; every answer, made or refused, is counted.
            CountDownLatch answered = new CountDownLatch(topics.size() - 1);
            AtomicInteger refused = new AtomicInteger();
            AtomicReference<String> why = new AtomicReference<>();
            AsyncCallback counted = new AsyncCallback() {
                @Override
                public void onSuccess() {
                    answered.countDown();
                }

                @Override
                public void onException(JMSException e) {
                    refused.incrementAndGet();
                    why.compareAndSet(null, e.getMessage());
                    answered.countDown();
                }
            };
            for (String topic : topics.subList(1, topics.size())) {
                connection.syncSendPacket(add(id, topic), counted);
            }
            if (!answered.await(Limits.LAB_TOPICS_WAIT_MS, TimeUnit.MILLISECONDS)) {
                log.info("lab: the broker had not made all the nodes' topics after {} ms; the nodes make the rest",
                        Limits.LAB_TOPICS_WAIT_MS);
            } else if (refused.get() > 0) {
                log.info("lab: the broker refused {} of the nodes' {} topics ({}); those nodes make their own",
                        refused.get(), topics.size(), why.get());
            }
        } catch (JMSException e) {
            log.info("lab: the broker did not make the nodes' topics ahead ({}); each node makes its own",
                    e.getMessage());
        } finally {
            try {
                connection.close();
            } catch (JMSException e) {
                // the topics stay; nothing of this connection is needed
            }
        }
    }

    private static DestinationInfo add(ConnectionId connection, String topic) {
        return new DestinationInfo(connection, DestinationInfo.ADD_OPERATION_TYPE, new ActiveMQTopic(topic));
    }

    /** How many nodes start at once (see {@link #build}). */
    private static final int BUILDERS = 8;

    /** One connection and its nodes {@code from} to {@code to} (exclusive), each written, given its key and booted. */
    private void buildConnection(ActiveMQConnectionFactory factory, String name, NodeImage.Plan[] plans, int from,
                                 int to, LabNode[] built) throws Exception {
        Connection connection = factory.createConnection();
        synchronized (connections) {
            connections.add(connection); // closed by close() even if start() fails
        }
        NodeConnections.watch(connection, name, spec.brokerUrl());
        connection.start();
        for (int i = from; i < to; i++) {
            NodeImage.Plan plan = plans[i];
            String identity = plan.identity();
            NodeImage image = new NodeImage(spec.stateDir().resolve(identity));
            image.create(plan);
            NodeSecurity security = spec.pki() == null
                    ? NodeSecurity.insecure(null, codec, Clock.systemUTC())
                    : spec.pki().node(identity, Clock.systemUTC());
            LabNode node = new LabNode(identity, image, connection, destinations, scheduler, Clock.systemUTC(),
                    spec.timing(), security, auditWriter, codec);
            built[i] = node;
            node.boot();
        }
    }

    public LabSpec spec() {
        return spec;
    }

    public List<LabNode> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    public LabNode node(String identity) {
        return nodes.stream().filter(n -> n.identity().equals(identity)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no lab node " + identity));
    }

    /** The nodes that were built with a reboot pending. */
    public Set<String> initiallyPending() {
        return Collections.unmodifiableSet(pending);
    }

    @Override
    public void close() {
        nodes.forEach(LabNode::shutdown);
        scheduler.shutdownNow();
        // The lines already handed to the writer are written before the lab is gone.
        auditWriter.close();
        List<Connection> open;
        synchronized (connections) {
            open = new ArrayList<>(connections);
        }
        for (Connection c : open) {
            try {
                c.close();
            } catch (JMSException e) {
                // leaving anyway
            }
        }
    }

    /** Removes a lab's state folder (the playground uses a temporary one by default). */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
