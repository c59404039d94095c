package io.orch.playground.commands;

import io.orch.cli.ExitCode;
import io.orch.cli.client.OrchClient;
import io.orch.cli.config.ClientConfig;
import io.orch.playground.OrchMain;
import io.orch.playground.broker.EmbeddedBroker;
import io.orch.playground.lab.Lab;
import io.orch.playground.lab.LabSpec;
import io.orch.protocol.bus.Destinations;
import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.EventType;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start a broker and a lab, reboot the nodes with a reboot pending, wait for them to come "
                + "back and show that nothing is pending any more. Everything stays in this process, on loopback."})
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LabOptions lab;

    @Option(names = "--nodes", defaultValue = "20", description = "Lab size (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--come-back-timeout", paramLabel = "DURATION", defaultValue = "60s",
            converter = io.orch.cli.options.DurationConverter.class,
            description = "How long to wait for rebooted nodes to come back (default: ${DEFAULT-VALUE}).")
    Duration comeBackTimeout;

    @Override
    public Integer call() throws Exception {
        if (nodes < 1 || nodes > 10_000) {
            throw new io.orch.cli.UsageException("--nodes must be between 1 and 10000, got " + nodes);
        }
        double pendingRate = lab.pendingRate();
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("orch-demo-");
        try (EmbeddedBroker broker = EmbeddedBroker.startOnFreePort()) {
            LabSpec labSpec = new LabSpec(nodes, pendingRate, lab.seed(), broker.url(), null, dir,
                    lab.timing(), 0);
            try (Lab fleet = Lab.start(labSpec);
                 OrchClient watcher = OrchClient.connect(broker.url(), new Destinations(labSpec.collective()),
                         Duration.ofSeconds(5))) {
                out.printf("demo: broker on %s, lab of %d nodes, %d with a reboot pending%n%n", broker.url(), nodes,
                        fleet.initiallyPending().size());
                Map<String, Event> back = new ConcurrentHashMap<>();
                watcher.subscribeEvents(event -> {
                    if (event.type() == EventType.REBOOTED) {
                        back.put(event.node(), event);
                    }
                });

                int rebootCode = run(out, "reboot", "-F", "reboot_pending=true", "--broker", broker.url(),
                        "--collective", labSpec.collective());
                Set<String> expected = new TreeSet<>(fleet.initiallyPending());
                out.printf("%nwaiting for %d nodes to reboot and come back ...%n", expected.size());
                out.flush();
                long deadline = System.nanoTime() + comeBackTimeout.toNanos();
                while (!back.keySet().containsAll(expected) && System.nanoTime() < deadline) {
                    TimeUnit.MILLISECONDS.sleep(100);
                }
                for (String node : expected) {
                    Event e = back.get(node);
                    out.println(e == null ? "  " + node + ": did not come back"
                            : String.format("  %s: back after %ss down, boot id %s -> %s, pending now: %s", node,
                                    e.data().get("downtime_s"), shortId(e.data().get("old_boot_id")),
                                    shortId(e.data().get("new_boot_id")), e.data().get("pending")));
                }
                out.println();
                int statusCode = run(out, "status", "-F", "reboot_pending=true", "--broker", broker.url(),
                        "--collective", labSpec.collective());
                long stillPending = fleet.nodes().stream().filter(n -> n.pending().pending()).count();
                boolean allBack = back.keySet().containsAll(expected);
                out.printf("%ndemo: %d of %d pending nodes rebooted and came back; %d still pending%n",
                        expected.stream().filter(back::containsKey).count(), expected.size(), stillPending);
                out.flush();
                if (rebootCode != ExitCode.OK) {
                    return rebootCode;
                }
                if (!allBack) {
                    return ExitCode.NO_RESPONSE;
                }
                return statusCode != ExitCode.OK || stillPending > 0 ? ExitCode.NODE_FAILED : ExitCode.OK;
            }
        } finally {
            Lab.deleteTree(dir);
        }
    }

    private int run(PrintWriter out, String... args) {
        out.println("$ orch " + String.join(" ", args));
        out.flush();
        // The demo runs against its own broker and lab: the user's client configuration must not steer it.
        CommandLine cli = OrchMain.commandLine(ClientConfig.defaultsOnly());
        cli.setOut(out);
        cli.setErr(spec.commandLine().getErr());
        return cli.execute(args);
    }

    private static String shortId(Object id) {
        String s = String.valueOf(id);
        return s.length() > 8 ? s.substring(0, 8) : s;
    }
}
