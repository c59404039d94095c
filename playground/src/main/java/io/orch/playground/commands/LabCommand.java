package io.orch.playground.commands;

import io.orch.cli.UsageException;
import io.orch.cli.client.RootCause;
import io.orch.cli.options.BrokerOptions;
import io.orch.cli.run.BrokerUnreachableException;
import io.orch.playground.lab.Lab;
import io.orch.playground.lab.LabSpec;
import io.orch.playground.lab.LabPki;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "lab", mixinStandardHelpOptions = true,
        description = {"Run a lab fleet of simulated nodes in the foreground (Ctrl-C stops it).",
            "Each node is a real responder reading its own fixture tree; reboots are simulated."})
public final class LabCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BrokerOptions broker;

    @Mixin
    LabOptions lab;

    @Option(names = "--nodes", defaultValue = "50", description = "Number of nodes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where the nodes' fixture trees go (default: a temporary folder removed on exit).")
    Path stateDir;

    @Override
    public Integer call() throws Exception {
        if (nodes < 1 || nodes > 100_000) {
            throw new UsageException("--nodes must be between 1 and 100000, got " + nodes);
        }
        String url = broker.broker().trim();
        if (!url.startsWith("tcp://") && !url.startsWith("ssl://") && !url.startsWith("failover:")) {
            throw new UsageException("--broker: the lab connects to ssl://HOST:PORT (tcp://HOST:PORT for a broker "
                    + "started with --insecure), or failover:(...) of those, got '"
                    + io.orch.protocol.bus.BrokerUrl.redact(url) + "'");
        }
        boolean temporary = stateDir == null;
        Path dir = temporary ? Files.createTempDirectory("orch-lab-") : stateDir;
        LabPki pki = lab.insecure ? null : LabPki.openOrCreate(lab.pkiDir(), java.time.Clock.systemUTC());
        LabSpec labSpec = new LabSpec(nodes, lab.pendingRate(), lab.seed(), url,
                broker.destinations().collective(), dir, lab.timing(), 0, pki);
        PrintWriter out = spec.commandLine().getOut();
        long started = System.nanoTime();
        Lab running;
        try {
            running = Lab.start(labSpec);
        } catch (jakarta.jms.JMSException e) {
            throw new BrokerUnreachableException("cannot connect to broker " + io.orch.protocol.bus.BrokerUrl.redact(url)
                    + ": " + RootCause.message(e));
        }
        out.printf("lab: %d nodes on %s (collective %s) up in %d ms; %d pending: %s%n", nodes,
                io.orch.protocol.bus.BrokerUrl.redact(url),
                labSpec.collective(), (System.nanoTime() - started) / 1_000_000, running.initiallyPending().size(),
                abbreviate(String.join(", ", running.initiallyPending())));
        out.println(pki == null ? "lab: SECURITY OFF (--insecure): nodes obey anyone who can reach the broker"
                : "lab: nodes obey " + LabPki.OPERATOR + " (certificates in " + pki.dir() + "); ./orch signs as "
                + LabPki.OPERATOR + " unless ORCH_SSL_DIR says otherwise");
        out.println("lab: state in " + dir + (temporary ? " (removed on exit)" : "") + "; Ctrl-C to stop");
        out.println("lab: if the broker goes away, the nodes reconnect as real ones do (failover, at least every "
                + io.orch.protocol.Limits.RECONNECT_MAX_DELAY_MS / 1000 + " s) and the log says when they are back");
        out.flush();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            if (temporary) {
                try {
                    Lab.deleteTree(dir);
                } catch (java.io.IOException e) {
                    // a temp folder left behind is harmless
                }
            }
            stop.countDown();
        }, "lab-stop"));
        stop.await();
        return 0;
    }

    private static String abbreviate(String s) {
        return s.length() <= 400 ? s : s.substring(0, 400) + " ...";
    }
}
