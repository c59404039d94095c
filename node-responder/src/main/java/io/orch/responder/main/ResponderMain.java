package io.orch.responder.main;

import io.orch.protocol.bus.BrokerUrl;
import io.orch.protocol.bus.Destinations;
import io.orch.protocol.envelope.Codec;
import io.orch.responder.bus.NodeConnections;
import io.orch.responder.bus.NodeEndpoint;
import io.orch.responder.config.ConfigException;
import io.orch.responder.config.ResponderConfig;
import io.orch.responder.config.ResponderWiring;
import io.orch.responder.executor.RebootExecutor;
import io.orch.responder.facts.NodeFacts;
import io.orch.responder.node.Responder;
import io.orch.responder.replay.SeenRequests;
import io.orch.responder.security.NodeSecurity;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Callable;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code orch-responder --config FILE}: the daemon a node runs. */
@Command(name = "orch-responder", mixinStandardHelpOptions = true, version = "orch-responder " + ResponderMain.VERSION,
        description = "Answers orch requests for this node and reboots it when asked and a reboot is pending.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped cleanly", "2:bad command line or config file",
                "3:the broker refused the connection (credentials, ACLs)"},
        footerHeading = "%nBroker:%n",
        footer = {"An unreachable broker is not an exit: the responder waits for it and reconnects (ActiveMQ "
                + "logs the retries at WARN). A plain URL is wrapped in failover with timeout=10000, so a send "
                + "waits at most 10 s while the broker is away; a failover: URL is used as given."})
public final class ResponderMain implements Callable<Integer> {
    /** The responder's version, as --version prints it and its metrics say. */
    static final String VERSION = "0.1.0";

    static {
        // Each runnable names its own logging config, so jars that travel together never compete for logback.xml.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "orch-responder-logback.xml");
        }
    }

    private static final Logger log = LoggerFactory.getLogger(ResponderMain.class);

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Node config (YAML). Without it the responder uses safe defaults and only logs reboots.")
    Path config;

    @Option(names = "--broker", paramLabel = "URL", description = "Broker URL; overrides the config file.")
    String broker;

    @Override
    public Integer call() throws Exception {
        ResponderConfig cfg;
        NodeFacts facts;
        NodeSecurity security;
        RebootExecutor executor;
        SeenRequests seen;
        io.orch.responder.registry.Presence presence;
        String url;
        ActiveMQConnectionFactory factory;
        io.orch.responder.metrics.MetricsPublisher metrics;
        // Everything is checked before connecting: a config mistake is exit 2 with one line, never a trace.
        try {
            cfg = config == null ? ResponderConfig.defaults() : ResponderConfig.load(config);
            new Destinations(cfg.collective());
            ResponderWiring.freshness(cfg.requests());
            ResponderWiring.policy(cfg.reboot());
            // Its thread starts with the first announcement, once the node is subscribed.
            presence = ResponderWiring.presence(cfg.registry(), Clock.systemUTC().instant(),
                    Executors.newSingleThreadScheduledExecutor(r -> {
                        Thread t = new Thread(r, "announce");
                        t.setDaemon(true);
                        return t;
                    }));
            executor = ResponderWiring.executor(cfg.reboot());
            facts = ResponderWiring.facts(cfg, Clock.systemUTC());
            String given = broker != null ? broker : cfg.broker();
            url = reconnecting(given);
            try {
                new ActiveMQConnectionFactory(url); // a URL that cannot be parsed is named before the key files are
            } catch (IllegalArgumentException e) {
                // Named as the operator wrote it, not with the options orch adds.
                throw new IllegalArgumentException("invalid broker URL '" + BrokerUrl.redact(given) + "' (" + (broker != null
                        ? "--broker" : "broker in the config") + "); e.g. ssl://mq1.example.com:61617 or "
                        + "failover:(ssl://mq1:61617,ssl://mq2:61617)");
            }
            security = ResponderWiring.security(cfg, facts.identity(), Clock.systemUTC());
            factory = security.connectionFactory(url);
            // Last: it creates the state folder. Without it a replayed request could reboot the node again.
            seen = ResponderWiring.seenRequests(cfg, Clock.systemUTC());
            metrics = ResponderWiring.metrics(cfg, facts, seen.folder(), Clock.systemUTC(), VERSION);
        } catch (ConfigException | IllegalArgumentException | IllegalStateException e) {
            System.err.println("orch-responder: " + e.getMessage());
            return 2;
        }
        if (config == null) {
            log.warn("no --config given: reboot executor is 'log', this node will not really reboot");
        }
        if (security.insecure()) {
            log.warn("SECURITY IS OFF (security: insecure): requests are not verified and replies are not signed; "
                    + "anyone who can reach the broker can make this node do whatever its policy allows");
        } else {
            log.info("node {} signs as '{}' and verifies requests against the site's CA; policy {}", facts.identity(),
                    security.name(), cfg.policyFile());
        }
        log.info("node {} connecting to {}", facts.identity(), BrokerUrl.redact(url));
        NodeConnections.configure(factory);
        ExecutorService rebootThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "reboot");
            t.setDaemon(true);
            return t;
        });
        CountDownLatch stop = new CountDownLatch(1);
        // With failover, start() waits for the broker however long it takes; the transport logs its retries.
        try (Connection connection = factory.createConnection()) {
            NodeConnections.watch(connection, "node " + facts.identity(), broker != null ? broker : cfg.broker());
            connection.start();
            NodeEndpoint endpoint = NodeEndpoint.open(connection, new Destinations(cfg.collective()), new Codec(),
                    security.sealer(), presence);
            Responder responder = ResponderWiring.responder(cfg, facts, executor, rebootThread, endpoint,
                    Clock.systemUTC(), security, seen);
            endpoint.serve(responder);
            if (metrics != null) {
                metrics.attach(responder);
                metrics.refreshSoon(); // the journal is settled now: a reboot just finished shows
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                responder.stopping(); // if this is the reboot going down, the journal notes when
                endpoint.close(); // announces 'rebooting' or 'stopped' first
                stop.countDown();
            }, "shutdown"));
            stop.await();
        } catch (JMSException e) {
            // Not reachability (failover waits): the broker refused us, e.g. credentials or ACLs.
            System.err.println("orch-responder: broker " + BrokerUrl.redact(url) + " refused the connection: " + e.getMessage());
            return 3;
        }
        return 0;
    }

    /**
     * A daemon must outlive broker restarts and be back within seconds of the broker: failover with a
     * capped back-off and no give-up; {@code timeout} bounds a send while disconnected, so a reply or
     * event cannot block the node forever ({@link NodeConnections#url}).
     */
    static String reconnecting(String url) {
        return NodeConnections.url(url, 0);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ResponderMain()).execute(args));
    }
}
