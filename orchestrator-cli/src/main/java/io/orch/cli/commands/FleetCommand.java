package io.orch.cli.commands;

import io.orch.cli.Interrupt;
import io.orch.cli.OrchCommand;
import io.orch.cli.UsageException;
import io.orch.cli.client.Collected;
import io.orch.cli.client.Discovery;
import io.orch.cli.client.EventFeed;
import io.orch.cli.client.NodeReply;
import io.orch.cli.client.OrchClient;
import io.orch.cli.inventory.LastSeen;
import io.orch.cli.options.Amount;
import io.orch.cli.options.BrokerOptions;
import io.orch.cli.options.DurationConverter;
import io.orch.cli.options.FilterOptions;
import io.orch.cli.options.OutputOptions;
import io.orch.cli.options.TargetOptions;
import io.orch.cli.output.JsonRenderer;
import io.orch.cli.output.JsonlRenderer;
import io.orch.cli.output.NodeResult;
import io.orch.cli.output.ProgressLine;
import io.orch.cli.output.RunListener;
import io.orch.cli.output.RunReport;
import io.orch.cli.output.TableRenderer;
import io.orch.cli.output.Terminal;
import io.orch.cli.rollout.Rollout;
import io.orch.cli.rollout.Rows;
import io.orch.protocol.bus.Destinations;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.filter.FilterSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A run against the fleet: discover by broadcast, narrow the matched nodes down (exclusions,
 * limit), then (for actions that change or inspect a node) send the action to exactly those
 * nodes — all at once or batch by batch — and report what became of every one.
 */
abstract class FleetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BrokerOptions broker;

    @Mixin
    FilterOptions filter;

    @Mixin
    TargetOptions targeting;

    @Mixin
    OutputOptions output;

    @Option(names = "--discovery-timeout", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Longest wait for discovery replies (default: ${DEFAULT-VALUE}). Without --nodes, "
                    + "discovery ends after a quiet second with no new reply.")
    Duration discoveryTimeout;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "20s", converter = DurationConverter.class,
            description = "How long matched nodes (of each batch) have to answer the action (default: "
                    + "${DEFAULT-VALUE}).")
    Duration timeout;

    /** The action nodes carry out. */
    abstract Action action();

    /** True when discovery is followed by the action sent to each matched node; false when the broadcast is the action. */
    abstract boolean twoPhase();

    Map<String, Object> params() {
        return Map.of();
    }

    boolean noop() {
        return false;
    }

    /** True for actions that change nodes: then an empty filter is refused unless the user says --all. */
    boolean needsExplicitTarget() {
        return false;
    }

    boolean all() {
        return false;
    }

    /** How the action goes out; {@code reboot} overrides this for batches and waiting. */
    Rollout.Settings settings(Map<String, Object> params) {
        return new Rollout.Settings(action(), params, null, Duration.ZERO, false, null, false, null, timeout);
    }

    /** The rollout settings as the report shows them. */
    Map<String, Object> reportedOptions() {
        return Map.of();
    }

    /**
     * Last word before the action goes to {@code targets}.
     *
     * @throws UsageException to stop the run (the user said no)
     */
    void confirm(List<String> targets) {
    }

    @Override
    public Integer call() throws Exception {
        // Everything the user typed is checked before the first message goes out.
        FilterSpec filterSpec = filter.spec();
        if (needsExplicitTarget() && filterSpec.isEmpty() && !all()) {
            throw new UsageException(spec.name() + " needs a filter (-F, -I or -S), or --all to mean every node");
        }
        output.check();
        Map<String, Object> params = params();
        Rollout.Settings settings = settings(params);
        Set<String> excluded = targeting.excluded();
        Set<String> inventory = new LinkedHashSet<>(targeting.inventory());
        inventory.removeAll(excluded);
        if (targeting.inventory().size() > 0 && inventory.isEmpty()) {
            throw new UsageException("--exclude-nodes leaves no node of --nodes to ask");
        }
        Amount limit = targeting.limit();
        if (limit != null && !twoPhase()) {
            throw new UsageException(targeting.limitFlag() + " is for commands that act on nodes (reboot, status, "
                    + "cancel), not " + spec.name());
        }
        Destinations destinations = broker.destinations();
        checkPositive("--timeout", timeout);
        checkPositive("--discovery-timeout", discoveryTimeout);
        checkPositive("--connect-timeout", broker.connectTimeout());

        OrchCommand root = (OrchCommand) spec.root().userObject();
        Interrupt interrupt = root.interrupt();
        long runStart = System.nanoTime();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Terminal terminal = root.terminal();
        List<RunListener> listeners = new ArrayList<>();
        if (output.jsonl()) {
            listeners.add(new JsonlRenderer(out, runStart));
        }
        ProgressLine progress = terminal.interactive() ? new ProgressLine(err, action().wireName()) : null;
        if (progress != null) {
            listeners.add(progress);
        }
        RunListener listener = RunListener.all(listeners);

        Map<String, List<String>> requestIds = new LinkedHashMap<>();
        Map<String, Long> timings = new LinkedHashMap<>();
        List<NodeResult> rows = new ArrayList<>();
        Set<String> heard = new HashSet<>();
        long notMatched;
        Rollout.Result rollout = null;
        LastSeen lastSeen = LastSeen.load(root.stateDir(), destinations.collective());
        try (OrchClient client = OrchClient.connect(broker.broker(), destinations, broker.connectTimeout());
             Interrupt.Registration stopClient = interrupt.onStop(client::stop);
             EventFeed events = settings.waitForBack() ? client.events() : null) {
            Discovery discovery = new Discovery(inventory, Discovery.DEFAULT_INITIAL, Discovery.DEFAULT_QUIET,
                    discoveryTimeout);
            Action first = twoPhase() ? Action.DISCOVER : action();
            // Discovery carries no action parameters: it only asks who matches.
            Request discover = request(destinations, first, filterSpec, twoPhase() ? Map.of() : params,
                    discoveryTimeout);
            requestIds.put(first.wireName(), List.of(discover.id()));
            Collected found = client.broadcast(discover, discovery);
            timings.put("discovery", found.elapsed().toMillis());
            timings.put("discovery_last_reply", found.lastReply().toMillis());
            heard.addAll(found.replies().keySet());
            notMatched = found.notMatchedCount();
            for (String node : found.missing()) {
                rows.add(missing(node, found.stopped() ? "no answer yet when discovery was interrupted"
                        : twoPhase() ? "did not answer discovery" : "did not answer", lastSeen));
            }
            List<String> matched = new ArrayList<>();
            for (NodeReply reply : found.replies().values()) {
                if (found.duplicates().contains(reply.node())) {
                    rows.add(Rows.duplicate(reply.node()));
                } else if (reply.reply().status().isFailure()) {
                    rows.add(Rows.fromReply(reply));
                } else if (reply.reply().matched()) {
                    if (excluded.contains(reply.node())) {
                        rows.add(skipped(reply.node(), "excluded by --exclude-nodes " + targeting.excludeFile()));
                    } else if (twoPhase()) {
                        matched.add(reply.node());
                    } else {
                        rows.add(Rows.fromReply(reply));
                    }
                }
            }
            warn(err, found);
            matched.sort(null);
            List<String> targets = matched;
            if (limit != null && matched.size() > limit.of(matched.size())) {
                targets = matched.subList(0, limit.of(matched.size()));
                for (String node : matched.subList(targets.size(), matched.size())) {
                    rows.add(skipped(node, "left out by " + targeting.limitFlag()));
                }
            }
            listener.discovered(discover.id(), targets.size(), notMatched,
                    found.missing().stream().sorted().toList(), found.elapsed().toMillis());
            String stopReason = found.stopped() ? RunReport.STOP_INTERRUPTED : null;
            if (found.stopped()) {
                targets.forEach(node -> rows.add(new NodeResult(node, NodeResult.NOT_STARTED,
                        "not started: the run was interrupted during discovery", List.of(), Map.of(), -1)));
            } else if (twoPhase() && !targets.isEmpty()) {
                if (progress != null) {
                    progress.close(); // a question must not be erased by the next redraw
                }
                confirm(targets);
                if (interrupt.requested()) {
                    throw new InterruptedException("interrupted before anything was rebooted"); // exit 130
                }
                Rollout run = new Rollout(client, events, settings, (action, p, ttl, filtered) ->
                        request(destinations, action, filtered ? filterSpec : FilterSpec.EMPTY, p, ttl), listener,
                        runStart);
                try (Interrupt.Registration stopRun = interrupt.onStop(run::stop)) {
                    rollout = run.run(targets);
                }
                rows.addAll(rollout.nodes());
                rollout.warnings().forEach(why -> err.println("orch: warning: " + why));
                requestIds.put(action().wireName(), rollout.requestIds());
                stopReason = rollout.stopReason();
                rollout.nodes().stream().filter(r -> r.replyMs() >= 0).forEach(r -> heard.add(r.identity()));
                if (!rollout.batches().isEmpty()) {
                    var firstBatch = rollout.batches().get(0);
                    timings.put(action().wireName(), firstBatch.repliedMs() - firstBatch.startedMs());
                }
            }
            timings.put("total", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - runStart));
            Instant now = Instant.now();
            heard.forEach(node -> lastSeen.saw(node, now));
            String unsaved = lastSeen.save();
            if (unsaved != null) {
                err.println("orch: warning: " + unsaved);
            }
            RunReport report = new RunReport(action().wireName(), noop(), requestIds, filterMap(filterSpec), rows,
                    notMatched, timings, rollout == null ? List.of() : rollout.batches(), stopReason,
                    reportedOptions());
            listener.finished(report);
            if (progress != null) {
                progress.close();
            }
            if (output.json()) {
                JsonRenderer.render(report, out);
            } else if (!output.jsonl()) {
                TableRenderer.render(report, out, terminal, cancelHint());
            }
            if (report.stopReason() != null && (output.json() || output.jsonl())) {
                // Scripts read stdout; a person watching them still needs to hear why it stopped.
                err.println("orch: " + report.summaryLine());
            }
            err.flush();
            return report.exitCode();
        } finally {
            if (progress != null) {
                progress.close();
            }
        }
    }

    /** {@code orch cancel} with the flags that reach the same broker and collective. */
    private String cancelHint() {
        StringBuilder hint = new StringBuilder("orch cancel");
        if (!BrokerOptions.DEFAULT_BROKER.equals(broker.broker())) {
            hint.append(" --broker '").append(broker.broker().replace("'", "'\\''")).append('\'');
        }
        if (!Destinations.DEFAULT_COLLECTIVE.equals(broker.destinations().collective())) {
            hint.append(" --collective ").append(broker.destinations().collective());
        }
        return hint.toString();
    }

    private static NodeResult missing(String node, String what, LastSeen lastSeen) {
        var seen = lastSeen.of(node);
        String message = what + seen.map(at -> "; last seen " + at + " (" + ago(at) + " ago)")
                .orElse("; never seen from this host");
        NodeResult row = NodeResult.noResponse(node, message);
        return seen.map(at -> row.withLastSeen(at.toString())).orElse(row);
    }

    private static String ago(Instant at) {
        long s = Math.max(0, Duration.between(at, Instant.now()).toSeconds());
        if (s < 120) {
            return s + "s";
        }
        if (s < 7200) {
            return s / 60 + "m";
        }
        if (s < 172_800) {
            return s / 3600 + "h";
        }
        return s / 86_400 + "d";
    }

    private static NodeResult skipped(String node, String why) {
        return new NodeResult(node, NodeResult.SKIPPED, why, List.of(), Map.of(), -1);
    }

    private static void warn(PrintWriter err, Collected collected) {
        collected.unreadable().forEach(why -> err.println("orch: warning: " + why));
        err.flush();
    }

    static void checkPositive(String flag, Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw new UsageException(flag + " must be more than 0");
        }
        if (value.toSeconds() > Request.MAX_TTL_SECONDS) {
            // The wait becomes the request's TTL, and nodes refuse longer ones.
            throw new UsageException(flag + " must be at most " + Request.MAX_TTL_SECONDS / 60 + "m");
        }
    }

    private Request request(Destinations destinations, Action action, FilterSpec filterSpec,
                            Map<String, Object> params, Duration wait) {
        // The request lives exactly as long as the CLI waits for it; nodes allow for clock skew on top.
        Duration ttl = Duration.ofSeconds(Math.max(1, (wait.toMillis() + 999) / 1000));
        return Request.create(destinations.collective(), action, filterSpec, params, caller(), sender(),
                Instant.now(), ttl);
    }

    private static Map<String, Object> filterMap(FilterSpec spec) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("fact", spec.fact());
        map.put("identity", spec.identity());
        map.put("compound", spec.compound());
        return map;
    }

    private static String caller() {
        return System.getProperty("user.name", "unknown");
    }

    private static String sender() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            } catch (IOException | RuntimeException e) {
                host = "unknown";
            }
        }
        return host;
    }
}
