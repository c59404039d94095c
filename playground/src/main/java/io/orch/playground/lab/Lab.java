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
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.activemq.ActiveMQConnectionFactory;

/** A fleet of lab nodes on one broker. */
public final class Lab implements AutoCloseable {
    private final LabSpec spec;
    private final List<LabNode> nodes = new ArrayList<>();
    private final List<Connection> connections = new ArrayList<>();
    private final Set<String> pending = new TreeSet<>();
    private final ScheduledExecutorService scheduler;
    /**
     * Writes the audit lines of every node's requests that have no action to follow: the nodes' replies to a
     * broadcast leave first, their audit files are written after (see {@link io.orch.responder.bus.NodeEndpoint}).
     */
    private final ThreadPoolExecutor auditWriter = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(Limits.LAB_AUDIT_QUEUE_LINES), r -> {
                Thread t = new Thread(r, "lab-audit");
                t.setDaemon(true);
                return t;
            });

    private Lab(LabSpec spec) {
        this.spec = spec;
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
        Destinations destinations = new Destinations(spec.collective());

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
        Connection connection = null;
        int connectionCount = (spec.nodes() + spec.nodesPerConnection() - 1) / spec.nodesPerConnection();
        for (int i = 0; i < spec.nodes(); i++) {
            if (i % spec.nodesPerConnection() == 0) {
                connection = factory.createConnection();
                connections.add(connection); // closed by close() even if start() fails
                NodeConnections.watch(connection, "lab connection " + connections.size() + "/" + connectionCount
                        + " (nodes " + spec.identity(i) + " to "
                        + spec.identity(Math.min(spec.nodes(), i + spec.nodesPerConnection()) - 1) + ")",
                        spec.brokerUrl());
                connection.start();
            }
            String identity = spec.identity(i);
            boolean isPending = pendingIndexes.contains(i);
            NodeImage image = new NodeImage(spec.stateDir().resolve(identity));
            image.create(identity, distros[random.nextInt(distros.length)], isPending, random);
            NodeSecurity security = spec.pki() == null
                    ? NodeSecurity.insecure(null, new Codec(), Clock.systemUTC())
                    : spec.pki().node(identity, Clock.systemUTC());
            LabNode node = new LabNode(identity, image, connection, destinations, scheduler, Clock.systemUTC(),
                    spec.timing(), security, auditWriter);
            node.boot();
            nodes.add(node);
            if (isPending) {
                pending.add(identity);
            }
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
        auditWriter.shutdown();
        try {
            auditWriter.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Connection c : connections) {
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
