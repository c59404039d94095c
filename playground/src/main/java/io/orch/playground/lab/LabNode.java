package io.orch.playground.lab;

import io.orch.protocol.bus.Destinations;
import io.orch.protocol.envelope.Codec;
import io.orch.responder.bus.NodeEndpoint;
import io.orch.responder.security.NodeSecurity;
import io.orch.responder.config.ConfigException;
import io.orch.responder.config.ResponderConfig;
import io.orch.responder.config.ResponderWiring;
import io.orch.responder.facts.NodeFacts;
import io.orch.responder.node.Responder;
import io.orch.responder.registry.AnnounceTimer;
import io.orch.responder.registry.Presence;
import io.orch.responder.pending.PendingState;
import io.orch.responder.state.Disk;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated machine: a fixture tree, and while it is "up" a real {@link Responder} on
 * the bus. A reboot takes it off the bus, rewrites the tree and boots a new responder, just
 * as a real node's daemon starts afresh after boot.
 */
public final class LabNode {
    private static final Logger log = LoggerFactory.getLogger(LabNode.class);

    /**
     * The lab's nodes write their journal, replay memory and audit with the responder's own code, but never
     * fsync: a simulated machine has no power to lose, and at start each node's replay memory proves with an
     * fsync that it can write, which on a shared disk was a good part of a 10,000-node lab's start.
     */
    static final Disk NO_FSYNC = new Disk() {
        @Override
        public void write(java.nio.file.Path file, java.nio.channels.FileChannel out, java.nio.ByteBuffer bytes)
                throws IOException {
            Disk.REAL.write(file, out, bytes);
        }

        @Override
        public void force(java.nio.file.Path file, java.nio.channels.FileChannel out) {
            // durable enough for a machine that only exists in this process
        }
    };

    private final String identity;
    private final NodeImage image;
    private final Connection connection;
    private final Destinations destinations;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final LabTiming timing;
    private final NodeSecurity security;
    /** The lab's one audit writer (see {@link Lab}). */
    private final java.util.concurrent.Executor auditWriter;
    private final Codec codec;
    private volatile NodeEndpoint endpoint;
    private volatile Responder responder;
    private volatile int reboots;
    private final AtomicBoolean rebooting = new AtomicBoolean();
    private volatile java.util.concurrent.ScheduledFuture<?> goingDown;
    private volatile boolean staysDown;
    private volatile boolean pendingAfterBoot;
    private volatile boolean losesRebootedEvent;
    /** Whether the node keeps a metrics file in its tree (see {@link #publishMetrics}). */
    private volatile boolean metricsOn;
    private volatile io.orch.responder.metrics.MetricsPublisher metrics;
    /** The config of the node's current boot. */
    private volatile ResponderConfig config;

    LabNode(String identity, NodeImage image, Connection connection, Destinations destinations,
            ScheduledExecutorService scheduler, Clock clock, LabTiming timing, NodeSecurity security,
            java.util.concurrent.Executor auditWriter, Codec codec) {
        this.auditWriter = auditWriter;
        this.codec = codec;
        this.identity = identity;
        this.image = image;
        this.connection = connection;
        this.destinations = destinations;
        this.scheduler = scheduler;
        this.clock = clock;
        this.timing = timing;
        this.security = security;
    }

    public String identity() {
        return identity;
    }

    /** The node's fixture tree, its "/" (tests read it to know the truth independently of orch). */
    public java.nio.file.Path root() {
        return image.root();
    }

    public int reboots() {
        return reboots;
    }

    public boolean up() {
        return endpoint != null;
    }

    public String bootId() throws IOException {
        return image.read("proc/sys/kernel/random/boot_id");
    }

    /** What the node's own detectors say right now. */
    public PendingState pending() {
        Responder r = responder;
        return r == null ? new PendingState(List.of(), Map.of()) : r.facts().forRequest().pending();
    }

    /** Starts the node's responder, exactly as orch-responder does on a machine. */
    synchronized void boot() throws JMSException, ConfigException {
        ResponderConfig config = new ResponderConfig(identity, destinations.collective(), null,
                new ResponderConfig.Facts(image.root().toString(), List.of(image.factsFile().toString())),
                null, null, null);
        NodeFacts facts = ResponderWiring.facts(config, clock);
        // Announced as a real node does, on the lab's scheduler: signing stays off the request path.
        Presence presence = new Presence(Presence.DEFAULT_INTERVAL, Presence.VERSION, clock.instant(),
                AnnounceTimer.of(scheduler), new java.util.SplittableRandom());
        NodeEndpoint ep = NodeEndpoint.open(connection, destinations, codec, security.sealer(), presence,
                auditWriter);
        // A lost event (a broker failover at the wrong moment) is simulated by not publishing it.
        io.orch.responder.event.EventSink events = event -> {
            if (!(losesRebootedEvent && event.type() == io.orch.protocol.envelope.EventType.REBOOTED)) {
                ep.publish(event);
            }
        };
        Responder r = ResponderWiring.responder(config, facts, new SimulatedRebootExecutor(this), scheduler, events,
                clock, security, ResponderWiring.seenRequests(config, clock, NO_FSYNC));
        ep.serve(r, events);
        this.config = config;
        responder = r;
        endpoint = ep;
        if (metricsOn) {
            try {
                startMetrics(facts, r);
            } catch (IOException e) {
                log.warn("{}: cannot keep a metrics file: {}", identity, e.getMessage()); // as a real node: it serves on
            }
        }
    }

    /** Where the node's metrics file is, in its tree: node_exporter's textfile folder on Debian. */
    public java.nio.file.Path metricsFile() {
        return image.root().resolve("var/lib/prometheus/node-exporter/orch.prom");
    }

    /**
     * From now on (and at every boot) the node keeps its metrics file ({@link #metricsFile}) as a responder with
     * {@code metrics.textfile} does, every minute on the lab's scheduler. Off by default: a lab of thousands has
     * no monitoring to feed.
     */
    public synchronized void publishMetrics() throws ConfigException, IOException {
        metricsOn = true;
        Responder r = responder;
        if (r != null && metrics == null) {
            startMetrics(r.facts(), r);
        }
    }

    private void startMetrics(NodeFacts facts, Responder r) throws ConfigException, IOException {
        java.nio.file.Files.createDirectories(metricsFile().getParent());
        io.orch.responder.metrics.NodeMetrics m = ResponderWiring.nodeMetrics(config, facts,
                ResponderWiring.stateFolder(config, NO_FSYNC), clock);
        m.attach(r);
        metrics = io.orch.responder.metrics.MetricsPublisher.startOn(scheduler, m, metricsFile(),
                io.orch.protocol.Limits.METRICS_DEFAULT_INTERVAL_S, Presence.VERSION);
    }

    /** How long after its reboot starts this node really goes down: the lab's scaled time. */
    Duration rebootDelay(Duration requested) {
        return timing.scaled(requested);
    }

    /** Called by the simulated executor: the same order as a real shutdown, compressed in time. */
    void scheduleReboot(String requestId, Duration delay) {
        if (!rebooting.compareAndSet(false, true)) {
            log.info("{}: reboot already under way, request {} joins it", identity, requestId);
            return;
        }
        long delayMs = rebootDelay(delay).toMillis();
        goingDown = scheduler.schedule(() -> goDown(requestId), delayMs, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Like {@code shutdown -c}: works only while the reboot is still in its delay. */
    synchronized void cancelReboot() throws io.orch.responder.executor.RebootException {
        java.util.concurrent.ScheduledFuture<?> pending = goingDown;
        if (pending == null || !pending.cancel(false)) {
            throw new io.orch.responder.executor.RebootException("lab node " + identity
                    + " is already going down; too late to cancel");
        }
        goingDown = null;
        rebooting.set(false);
    }

    private synchronized void goDown(String requestId) {
        Instant down = clock.instant();
        String oldBootId;
        try {
            oldBootId = bootId();
            goingDown = null;
            Responder r = responder;
            if (r != null) {
                r.stopping(); // as the daemon's shutdown hook does when the machine goes down
            }
            io.orch.responder.metrics.MetricsPublisher m = metrics;
            metrics = null;
            if (m != null) {
                m.close(); // the file stays as it was, as on a machine going down
            }
            // close() announces 'rebooting': the journal holds the reboot handed to the (simulated) OS.
            NodeEndpoint ep = endpoint;
            endpoint = null;
            responder = null;
            if (ep != null) {
                ep.close();
            }
            image.reboot();
            if (pendingAfterBoot) {
                image.requireReboot();
            }
        } catch (IOException | RuntimeException e) {
            log.error("{}: simulated reboot failed", identity, e);
            rebooting.set(false);
            return;
        }
        scheduler.schedule(() -> comeBack(requestId, oldBootId, down), timing.downTime().toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** From now on, a reboot takes the node down for good: a machine that hangs in its firmware or fsck. */
    public void staysDownAfterReboot() {
        staysDown = true;
    }

    /** From now on, the node's {@code rebooted} events never reach the bus, as if lost in a broker failover. */
    public void losesRebootedEvents() {
        losesRebootedEvent = true;
    }

    /** From now on, the node comes back from a reboot with a reboot pending again. */
    public void staysPendingAfterReboot() {
        pendingAfterBoot = true;
    }

    /** Boots the node again; its new responder finds the journal and publishes {@code rebooted} itself. */
    private synchronized void comeBack(String requestId, String oldBootId, Instant down) {
        if (staysDown) {
            log.info("{}: does not come back after request {} (simulated hang at boot)", identity, requestId);
            return;
        }
        try {
            boot();
            reboots++;
            rebooting.set(false);
        } catch (Exception e) {
            log.error("{}: could not come back after a simulated reboot of request {} (boot id was {}, down since {})",
                    identity, requestId, oldBootId, down, e);
        }
    }

    /** Takes the node off the bus without a reboot and without a word, as if its network died. */
    public synchronized void disconnect() {
        NodeEndpoint ep = endpoint;
        endpoint = null;
        if (ep != null) {
            ep.drop();
        }
    }

    /** Stops the node's responder cleanly, as a service stop does: it announces 'stopped' first. */
    public synchronized void stop() {
        NodeEndpoint ep = endpoint;
        endpoint = null;
        if (ep != null) {
            ep.close();
        }
    }

    synchronized void shutdown() {
        stop();
    }
}
