package io.orch.playground.bench;

import io.orch.cli.UsageException;
import io.orch.protocol.Limits;
import io.orch.responder.bus.NodeConnections;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code orch bench-raw-nodes}: the baseline's bare consumers, in the foreground until stopped. */
@Command(name = "bench-raw-nodes", hidden = true, mixinStandardHelpOptions = true,
        description = {"Benchmark only (bench/fanout.sh): N bare JMS consumers laid out as the lab's nodes, "
                + "each echoing a fixed reply to the request's JMSReplyTo. Ctrl-C stops them."})
public final class RawNodesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BenchOptions bench;

    @Option(names = "--nodes", defaultValue = "50", description = "Number of consumers (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--nodes-per-connection", defaultValue = "50",
            description = "Consumers sharing one connection, as the lab's nodes do (default: ${DEFAULT-VALUE}).")
    int perConnection;

    @Override
    public Integer call() throws Exception {
        if (nodes < 1 || nodes > 100_000 || perConnection < 1) {
            throw new UsageException("--nodes must be between 1 and 100000 and --nodes-per-connection positive");
        }
        String url = NodeConnections.url(bench.url(), Limits.LAB_STARTUP_CONNECT_ATTEMPTS);
        long started = System.nanoTime();
        RawFleet fleet = RawFleet.start(bench.factory(url, false), nodes, perConnection, bench.topic(),
                RawFleet.body("{\"raw\":\"reply\",\"pad\":\"", bench.replyBytes),
                bench.signed ? BenchOptions.signingKey() : null);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("raw: %d consumers%s on %s up in %d ms%n", nodes, bench.signed ? " (signing)" : "", bench.topic(),
                (System.nanoTime() - started) / 1_000_000);
        out.flush();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            fleet.close();
            stop.countDown();
        }, "raw-stop"));
        stop.await();
        return 0;
    }
}
