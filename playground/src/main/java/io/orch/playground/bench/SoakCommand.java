package io.orch.playground.bench;

import io.orch.cli.ExitCode;
import io.orch.cli.Interrupt;
import io.orch.cli.UsageException;
import io.orch.cli.client.ClientSecurity;
import io.orch.cli.client.OrchClient;
import io.orch.cli.commands.OrchCommand;
import io.orch.cli.inventory.InventoryCache;
import io.orch.cli.inventory.LastSeen;
import io.orch.cli.options.BrokerOptions;
import io.orch.cli.options.DurationConverter;
import io.orch.cli.options.InventoryOptions;
import io.orch.cli.options.SecurityOptions;
import io.orch.cli.output.SafeText;
import io.orch.cli.run.FleetRun;
import io.orch.cli.run.NodeResult;
import io.orch.cli.run.RunClock;
import io.orch.cli.run.RunListener;
import io.orch.cli.run.RunReport;
import io.orch.cli.run.RunSettings;
import io.orch.protocol.bus.Destinations;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.filter.FilterSpec;
import io.orch.protocol.payload.NoData;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code orch bench-soak}: many {@code orch ping}s back to back from one JVM on one connection, each the
 * real thing (the CLI's {@link OrchClient} and {@link FleetRun}: the registry read, a signed broadcast,
 * discovery until every known node answered, the state files saved), counting per request whether all
 * {@code --expect} nodes answered, and sampling this JVM's heap after a full GC and its RSS every
 * {@code --sample-every} requests, so that a leak in the client shows as a slope.
 */
@Command(name = "bench-soak", hidden = true, mixinStandardHelpOptions = true,
        description = {"Benchmark only (bench/soak.sh): send --requests pings back to back, as orch ping sends one, "
                + "and say per request how many of the --expect nodes answered; every --sample-every requests, "
                + "this JVM's heap after a full GC and its RSS. Exit 0 when every request heard every node, 4 "
                + "when one did not."})
public final class SoakCommand implements Callable<Integer> {
    /** Missing nodes named per request; the rest are counted. */
    private static final int NAMED_MISSING = 20;

    @Spec
    CommandSpec spec;

    @Mixin
    BrokerOptions broker;

    @Mixin
    SecurityOptions security;

    @Mixin
    InventoryOptions known;

    @Option(names = "--expect", required = true, paramLabel = "N",
            description = "Nodes every request must hear (the lab's --nodes).")
    int expect;

    @Option(names = "--requests", defaultValue = "500", paramLabel = "N",
            description = "Pings to send, one after the other (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--sample-every", defaultValue = "25", paramLabel = "K",
            description = "Sample heap and RSS before the first request and after every K (default: ${DEFAULT-VALUE}).")
    int sampleEvery;

    @Option(names = "--discovery-timeout", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class,
            description = "Longest wait for one ping's replies, as orch ping's flag (default: ${DEFAULT-VALUE}).")
    Duration discoveryTimeout;

    /** One request as the soak saw it. */
    record Round(int number, int heard, List<String> missing, long wallMs, long lastReplyMs, int exitCode) {
    }

    /** One memory sample of this JVM. */
    record Sample(int afterRequests, long heapAfterGcKb, long rssKb, double elapsedS) {
    }

    @Override
    public Integer call() throws Exception {
        if (expect < 1 || requests < 1 || sampleEvery < 1) {
            throw new UsageException("--expect, --requests and --sample-every must be positive");
        }
        if (discoveryTimeout.isZero() || discoveryTimeout.isNegative()) {
            throw new UsageException("--discovery-timeout must be more than 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        OrchCommand root = (OrchCommand) spec.root().userObject();
        Destinations destinations = broker.destinations();
        ClientSecurity signer = security.load(Clock.systemUTC(), root.stateDir());
        // orch ping with no filter: the broadcast is the action, every known node is waited for.
        RunSettings settings = new RunSettings(Action.PING, NoData.INSTANCE, false, false, FilterSpec.EMPTY,
                new RunSettings.Sender(destinations.collective(), signer.insecure()
                        ? System.getProperty("user.name", "unknown") : signer.signer(), "bench-soak"),
                RunSettings.Targets.ALL, discoveryTimeout, RunSettings.Batching.allAtOnce(discoveryTimeout), Map.of());
        RunListener warnings = new RunListener() {
            @Override
            public void warning(String why) {
                err.println("orch: warning: " + SafeText.field(why));
                err.flush();
            }
        };
        // Loaded once and kept, as a long-lived client would: whatever they gather per run must not pile up.
        LastSeen lastSeen = LastSeen.load(root.stateDir(), destinations.collective());
        InventoryCache knownNodes = InventoryCache.load(root.stateDir(), destinations.collective(), broker.broker(),
                known.forgetAfter());
        List<Round> rounds = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        TreeSet<String> everHeard = new TreeSet<>();
        long started = System.nanoTime();
        AtomicReference<FleetRun> current = new AtomicReference<>();
        try (OrchClient bus = OrchClient.connect(broker.broker(), destinations, broker.connectTimeout(), signer);
             Interrupt.Registration stop = root.interrupt().onStop(() -> {
                 FleetRun run = current.get();
                 if (run != null) {
                     run.stop();
                 }
             })) {
            samples.add(sample(0, started, out));
            for (int i = 1; i <= requests && !root.interrupt().requested(); i++) {
                FleetRun run = new FleetRun(bus, settings, lastSeen, knownNodes, warnings, FleetRun.Confirmation.NONE,
                        RunClock.SYSTEM);
                current.set(run);
                long runStart = RunClock.SYSTEM.nanoTime();
                RunReport report = run.run(runStart);
                long wallMs = TimeUnit.NANOSECONDS.toMillis(RunClock.SYSTEM.nanoTime() - runStart);
                Round round = round(i, report, everHeard, wallMs);
                rounds.add(round);
                out.printf("request %d: %d/%d heard, %d ms (publish -> last reply %d ms), exit %d%s%n", i,
                        round.heard(), expect, wallMs, round.lastReplyMs(), round.exitCode(),
                        round.missing().isEmpty() ? "" : ", missing " + named(round.missing()));
                out.flush();
                if (i % sampleEvery == 0 || i == requests) {
                    samples.add(sample(i, started, out));
                }
            }
        }
        summarise(rounds, samples, out);
        boolean allHeard = rounds.size() == requests && rounds.stream().allMatch(this::allHeard);
        return allHeard ? ExitCode.OK : ExitCode.NO_RESPONSE;
    }

    /**
     * How one request went: who answered {@code ok}, and which nodes did not: those the report lists as not
     * answering, and any node some earlier request heard that this one did not (a node missing from the
     * inventory would not be in the report at all).
     */
    private Round round(int number, RunReport report, TreeSet<String> everHeard, long wallMs) {
        List<String> ok = report.identities("ok");
        everHeard.addAll(ok);
        TreeSet<String> missing = new TreeSet<>(everHeard);
        ok.forEach(missing::remove);
        report.nodes().stream().filter(n -> !n.status().equals("ok")).map(NodeResult::identity)
                .forEach(missing::add);
        Long last = report.timingsMs().get("discovery_last_reply");
        return new Round(number, ok.size(), List.copyOf(missing), wallMs, last == null ? -1 : last,
                report.exitCode());
    }

    private boolean allHeard(Round round) {
        return round.heard() == expect && round.missing().isEmpty() && round.exitCode() == ExitCode.OK;
    }

    private static String named(List<String> nodes) {
        List<String> shown = nodes.subList(0, Math.min(NAMED_MISSING, nodes.size())).stream()
                .map(SafeText::field).toList();
        return String.join(", ", shown) + (nodes.size() > shown.size()
                ? " and " + (nodes.size() - shown.size()) + " more" : "");
    }

    /** This JVM after a full collection: what is still live, and what the process holds of the machine. */
    private static Sample sample(int afterRequests, long started, PrintWriter out) {
        System.gc();
        long heapKb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1024;
        Sample s = new Sample(afterRequests, heapKb, rssKb(),
                (System.nanoTime() - started) / 1e9);
        out.printf("sample requests=%d heap_after_gc_kb=%d rss_kb=%d elapsed_s=%.1f%n", s.afterRequests(),
                s.heapAfterGcKb(), s.rssKb(), s.elapsedS());
        out.flush();
        return s;
    }

    /** VmRSS of /proc/self/status in KB, or -1 where there is none (not Linux). */
    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: the sample says -1
        }
        return -1;
    }

    private void summarise(List<Round> rounds, List<Sample> samples, PrintWriter out) {
        long allHeard = rounds.stream().filter(this::allHeard).count();
        long lostReplies = rounds.stream().mapToLong(r -> Math.max(r.missing().size(), expect - r.heard())).sum();
        out.printf("summary: %d requests to %d nodes, %d heard every node, %d lost replies%n", rounds.size(),
                expect, allHeard, lostReplies);
        for (Round r : rounds) {
            if (!allHeard(r)) {
                out.printf("summary: request %d heard %d/%d, exit %d, missing %s%n", r.number(), r.heard(), expect,
                        r.exitCode(), named(r.missing()));
            }
        }
        if (!rounds.isEmpty()) {
            out.printf("summary: per request ms (min / median / max): wall %s, publish -> last reply %s%n",
                    spread(rounds.stream().map(Round::wallMs).toList()),
                    spread(rounds.stream().map(Round::lastReplyMs).toList()));
        }
        if (samples.size() >= 2) {
            Sample first = samples.get(0);
            // After the first round of samples the classes are loaded and the caches filled: growth from there is
            // what a leak looks like.
            Sample warm = samples.get(1);
            Sample last = samples.get(samples.size() - 1);
            out.printf("summary: heap after GC KB: %d at request %d, %d at request %d, %d at request %d%n",
                    first.heapAfterGcKb(), first.afterRequests(), warm.heapAfterGcKb(), warm.afterRequests(),
                    last.heapAfterGcKb(), last.afterRequests());
            out.printf("summary: RSS KB: %d at request %d, %d at request %d, %d at request %d%n",
                    first.rssKb(), first.afterRequests(), warm.rssKb(), warm.afterRequests(), last.rssKb(),
                    last.afterRequests());
        }
        out.flush();
    }

    private static String spread(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        long median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return sorted.get(0) + " / " + median + " / " + sorted.get(n - 1);
    }
}
