package io.orch.playground.commands;

import io.orch.cli.ExitCode;
import io.orch.cli.config.ClientConfig;
import io.orch.playground.OrchMain;
import io.orch.playground.broker.EmbeddedBroker;
import io.orch.playground.lab.Lab;
import io.orch.playground.lab.LabSpec;
import io.orch.playground.lab.LabPki;
import java.time.Clock;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start a broker and a lab, reboot the nodes with a reboot pending in two batches, each "
                + "waiting for its nodes to come back, and show that nothing is pending any more. Everything stays "
                + "in this process, on loopback."})
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LabOptions lab;

    @Option(names = "--nodes", defaultValue = "20", description = "Lab size (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--come-back-timeout", paramLabel = "DURATION", defaultValue = "5m",
            converter = io.orch.cli.options.DurationConverter.class,
            description = "How long each batch may take to come back (default: ${DEFAULT-VALUE}).")
    Duration comeBackTimeout;

    private LabPki pki;

    @Override
    public Integer call() throws Exception {
        if (nodes < 1 || nodes > 10_000) {
            throw new io.orch.cli.UsageException("--nodes must be between 1 and 10000, got " + nodes);
        }
        double pendingRate = lab.pendingRate();
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("orch-demo-");
        // A throwaway site PKI: the demo signs and verifies every message exactly as a real site does.
        LabPki pki = lab.insecure ? null : LabPki.openOrCreate(dir.resolve("pki"), Clock.systemUTC());
        try (EmbeddedBroker broker = pki == null ? EmbeddedBroker.startOnFreePort()
                : pki.startBroker("127.0.0.1", 0, Clock.systemUTC())) {
            LabSpec labSpec = new LabSpec(nodes, pendingRate, lab.seed(), broker.url(), null, dir,
                    lab.timing(), 0, pki);
            this.pki = pki;
            try (Lab fleet = Lab.start(labSpec)) {
                out.printf("demo: broker on %s, lab of %d nodes, %d with a reboot pending%n", broker.url(), nodes,
                        fleet.initiallyPending().size());
                if (pki != null) {
                    out.printf("demo: a throwaway CA signed every node's certificate and the operator's (%s); the "
                            + "broker takes only TLS with those certificates, the nodes obey only %s's signed "
                            + "requests, and orch believes only answers signed by the node they speak for%n%n",
                            LabPki.OPERATOR, LabPki.OPERATOR);
                } else {
                    out.printf("demo: SECURITY OFF (--insecure): plain TCP, nothing signed or verified%n%n");
                }
                // The operator's command: rolling batches, each waiting for its nodes to come back.
                int rebootCode = run(out, dir, "reboot", "-F", "reboot_pending=true", "--batch", "50%", "--wait",
                        "--wait-timeout", comeBackTimeout.toSeconds() + "s", "--broker", broker.url(),
                        "--collective", labSpec.collective());
                out.println();
                int statusCode = run(out, dir, "status", "-F", "reboot_pending=true", "--broker", broker.url(),
                        "--collective", labSpec.collective());
                // The lab's own truth, independent of what orch reported.
                Set<String> expected = new TreeSet<>(fleet.initiallyPending());
                long rebootedOnce = expected.stream().filter(id -> fleet.node(id).reboots() == 1).count();
                long others = fleet.nodes().stream()
                        .filter(n -> !expected.contains(n.identity()) && n.reboots() > 0).count();
                long stillPending = fleet.nodes().stream().filter(n -> n.pending().pending()).count();
                out.printf("%ndemo: %d of %d pending nodes rebooted once and came back; %d other nodes rebooted; "
                        + "%d still pending%n", rebootedOnce, expected.size(), others, stillPending);
                out.flush();
                if (rebootCode != ExitCode.OK) {
                    return rebootCode;
                }
                boolean right = rebootedOnce == expected.size() && others == 0 && stillPending == 0;
                return statusCode != ExitCode.OK || !right ? ExitCode.NODE_FAILED : ExitCode.OK;
            }
        } finally {
            Lab.deleteTree(dir);
        }
    }

    private int run(PrintWriter out, Path dir, String... args) {
        out.println("$ orch " + String.join(" ", args));
        out.flush();
        // The demo runs against its own broker and lab: the user's client configuration must not steer it.
        CommandLine cli = OrchMain.commandLine(ClientConfig.load(pki == null ? java.util.Map.of("ORCH_SECURITY",
                "insecure") : pki.clientEnvironment(), null, null));
        ((io.orch.cli.commands.OrchCommand) cli.getCommand()).useStateDir(dir.resolve("cli-state"));
        cli.setOut(out);
        cli.setErr(spec.commandLine().getErr());
        return cli.execute(args);
    }
}
