package io.orch.playground.commands;

import io.orch.cli.UsageException;
import io.orch.cli.client.RootCause;
import io.orch.playground.broker.BrokerNetwork;
import io.orch.playground.broker.EmbeddedBroker;
import io.orch.playground.lab.LabPki;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {"Run an embedded ActiveMQ broker in the foreground (loopback only; Ctrl-C stops it).",
            "By default it is TLS-only (ssl://127.0.0.1:61617) with client certificates of the lab's throwaway CA "
                    + "(made in --pki-dir on first use) and a real site's rules: the lab's operator may send "
                    + "requests, every other certificate of the CA is a node. It also opens stomp+ssl on 61614 "
                    + "(--stomp-port), same certificates and rules, for clients in other languages "
                    + "(docs/protocol.md §9). --insecure runs plain TCP (61616) with no logins, as orch ran before "
                    + "it had security.",
            "With --network NAME it is a member of an ActiveMQ network of brokers (docs/network.md): a hub is "
                    + "started with --network alone, each spoke with --network and --connect-to the hub's ssl:// URL; "
                    + "the bridges are TLS with the lab's broker certificate. A hub and two spokes on this machine, "
                    + "step by step: docs/network.md."})
public final class BrokerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", description = "Port (default: 61617, or 61616 with --insecure).")
    Integer port;

    @Option(names = "--stomp-port", paramLabel = "PORT",
            description = "Port of the stomp+ssl connector (default: 61614); -1 opens none. Not with --insecure.")
    Integer stompPort;

    @Option(names = "--insecure", description = "Plain TCP, no client certificates, no authorisation.")
    boolean insecure;

    @Option(names = "--pki-dir", paramLabel = "DIR",
            description = "The lab's CA and certificates, shared with orch lab and ./orch (default: ~/.orch/lab).")
    java.nio.file.Path pkiDir;

    @Option(names = "--network", paramLabel = "NAME",
            description = "Join the network of brokers NAME (the same on every member; letters, digits, '-', '_'). "
                    + "Alone: a hub that waits for spokes. Not with --insecure.")
    String network;

    @Option(names = "--connect-to", paramLabel = "URL", split = ",",
            description = "With --network: open a duplex bridge to this member (ssl://host:port, usually the hub); "
                    + "repeat or separate by commas for several. The bridge reconnects by itself when the other side "
                    + "comes back.")
    java.util.List<String> connectTo = new java.util.ArrayList<>();

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on; the playground stays on loopback (default: ${DEFAULT-VALUE}).")
    String host;

    /** The network this broker joins, or null; a usage error for flags that do not fit together. */
    private BrokerNetwork network() {
        if (network == null) {
            if (!connectTo.isEmpty()) {
                throw new UsageException("--connect-to needs --network NAME (the network's name, the same on every "
                        + "member)");
            }
            return null;
        }
        if (insecure) {
            throw new UsageException("--network is for the TLS broker: its bridges log in with the broker's "
                    + "certificate; --insecure has none");
        }
        java.util.List<java.net.URI> members = new java.util.ArrayList<>();
        for (String url : connectTo) {
            try {
                members.add(new java.net.URI(url.trim()));
            } catch (java.net.URISyntaxException e) {
                throw new UsageException("--connect-to '" + url + "' is not a URL; give ssl://host:port");
            }
        }
        try {
            return new BrokerNetwork(network, members);
        } catch (IllegalArgumentException e) {
            throw new UsageException((e.getMessage().startsWith("network name") ? "--network: " : "--connect-to: ")
                    + e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        int port = this.port != null ? this.port : insecure ? 61616 : LabPki.BROKER_PORT;
        if (port < 0 || port > 65535) {
            throw new UsageException("--port must be between 0 and 65535, got " + port);
        }
        if (insecure && stompPort != null) {
            throw new UsageException("--stomp-port is for the TLS broker; --insecure opens plain TCP only");
        }
        int stomp = insecure ? EmbeddedBroker.NO_STOMP : stompPort != null ? stompPort : LabPki.STOMP_PORT;
        if (stomp < EmbeddedBroker.NO_STOMP || stomp > 65535) {
            throw new UsageException("--stomp-port must be between 0 and 65535 (or -1 for none), got " + stomp);
        }
        BrokerNetwork member = network();
        EmbeddedBroker broker;
        try {
            LabPki pki = insecure ? null
                    : LabPki.openOrCreate(pkiDir != null ? pkiDir : LabPki.defaultDir(), Clock.systemUTC());
            broker = insecure ? EmbeddedBroker.start(host, port)
                    : member != null ? pki.startNetworkBroker(host, port, stomp, member, Clock.systemUTC())
                    : pki.startBroker(host, port, stomp, Clock.systemUTC());
        } catch (Exception e) {
            throw new UsageException("cannot start a broker on " + host + ":" + port
                    + (stomp == EmbeddedBroker.NO_STOMP ? "" : " (stomp+ssl " + stomp + ")") + ": "
                    + RootCause.message(e) + " (is another broker already running there? try --port, --stomp-port)");
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                broker.close();
            } catch (Exception e) {
                // stopping anyway
            }
            stop.countDown();
        }, "broker-stop"));
        spec.commandLine().getOut().println("broker listening on " + broker.url() + (insecure
                ? " (plain TCP, no logins: anyone on this machine can send requests)"
                : " (TLS with client certificates; operator: " + LabPki.OPERATOR + ")")
                + (broker.stompUrl() == null ? "" : ", STOMP clients on " + broker.stompUrl())
                + (member == null ? "" : member.connectTo().isEmpty() ? "; network " + member.name()
                        + ": hub, waiting for spokes (--connect-to " + broker.url() + ")"
                        : "; network " + member.name() + ": bridges to " + member.connectTo()
                        + " (retried until they answer)")
                + " (Ctrl-C to stop)");
        spec.commandLine().getOut().flush();
        stop.await();
        return 0;
    }
}
