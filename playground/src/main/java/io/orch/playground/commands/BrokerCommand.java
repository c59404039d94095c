package io.orch.playground.commands;

import io.orch.cli.UsageException;
import io.orch.cli.client.RootCause;
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
                    + "it had security."})
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

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on; the playground stays on loopback (default: ${DEFAULT-VALUE}).")
    String host;

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
        EmbeddedBroker broker;
        try {
            broker = insecure ? EmbeddedBroker.start(host, port)
                    : LabPki.openOrCreate(pkiDir != null ? pkiDir : LabPki.defaultDir(), Clock.systemUTC())
                            .startBroker(host, port, stomp, Clock.systemUTC());
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
                + (broker.stompUrl() == null ? "" : ", STOMP clients on " + broker.stompUrl()) + " (Ctrl-C to stop)");
        spec.commandLine().getOut().flush();
        stop.await();
        return 0;
    }
}
