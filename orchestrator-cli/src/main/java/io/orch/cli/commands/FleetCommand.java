package io.orch.cli.commands;

import io.orch.cli.UsageException;
import io.orch.cli.client.Collected;
import io.orch.cli.client.Discovery;
import io.orch.cli.client.NodeReply;
import io.orch.cli.client.OrchClient;
import io.orch.cli.options.BrokerOptions;
import io.orch.cli.options.DurationConverter;
import io.orch.cli.options.FilterOptions;
import io.orch.cli.options.OutputOptions;
import io.orch.cli.output.JsonRenderer;
import io.orch.cli.output.NodeResult;
import io.orch.cli.output.RunReport;
import io.orch.cli.output.TableRenderer;
import io.orch.protocol.bus.Destinations;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.filter.FilterSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A run against the fleet: discover by broadcast, then (for actions that change or inspect a
 * node) send the action to exactly the matched nodes and wait for exactly their replies.
 */
abstract class FleetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BrokerOptions broker;

    @Mixin
    FilterOptions filter;

    @Mixin
    OutputOptions output;

    @Option(names = "--nodes", paramLabel = "FILE",
            description = "Inventory: identities expected to answer, one a line (# comments allowed). Discovery "
                    + "ends as soon as all have answered; the others are reported as no response.")
    Path nodesFile;

    @Option(names = "--discovery-timeout", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Longest wait for discovery replies (default: ${DEFAULT-VALUE}). Without --nodes, "
                    + "discovery ends after a quiet second with no new reply.")
    Duration discoveryTimeout;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "20s", converter = DurationConverter.class,
            description = "How long matched nodes have to answer the action (default: ${DEFAULT-VALUE}).")
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

    @Override
    public Integer call() throws Exception {
        // Everything the user typed is checked before the first message goes out.
        FilterSpec filterSpec = filter.spec();
        if (needsExplicitTarget() && filterSpec.isEmpty() && !all()) {
            throw new UsageException(spec.name() + " needs a filter (-F, -I or -S), or --all to mean every node");
        }
        Map<String, Object> params = params();
        Set<String> inventory = inventory();
        Destinations destinations = broker.destinations();
        checkPositive("--timeout", timeout);
        checkPositive("--discovery-timeout", discoveryTimeout);
        checkPositive("--connect-timeout", broker.connectTimeout());

        Map<String, String> requestIds = new LinkedHashMap<>();
        Map<String, Long> timings = new LinkedHashMap<>();
        List<NodeResult> rows = new ArrayList<>();
        long notMatched;
        PrintWriter err = spec.commandLine().getErr();
        try (OrchClient client = OrchClient.connect(broker.broker(), destinations, broker.connectTimeout())) {
            Discovery discovery = new Discovery(inventory, Discovery.DEFAULT_INITIAL, Discovery.DEFAULT_QUIET,
                    discoveryTimeout);
            Action first = twoPhase() ? Action.DISCOVER : action();
            // Discovery carries no action parameters: it only asks who matches.
            Request discover = request(destinations, first, filterSpec, twoPhase() ? Map.of() : params,
                    discoveryTimeout);
            requestIds.put(first.wireName(), discover.id());
            Collected found = client.broadcast(discover, discovery);
            timings.put("discovery", found.elapsed().toMillis());
            timings.put("discovery_last_reply", found.lastReply().toMillis());
            notMatched = found.notMatchedCount();
            found.missing().forEach(node -> rows.add(NodeResult.noResponse(node,
                    twoPhase() ? "did not answer discovery" : "did not answer")));
            List<String> targets = new ArrayList<>();
            for (NodeReply reply : found.replies().values()) {
                if (found.duplicates().contains(reply.node())) {
                    rows.add(duplicate(reply.node()));
                } else if (reply.reply().status().isFailure()) {
                    rows.add(result(reply));
                } else if (reply.reply().matched()) {
                    if (twoPhase()) {
                        targets.add(reply.node());
                    } else {
                        rows.add(result(reply));
                    }
                }
            }
            warn(err, found);
            if (twoPhase() && !targets.isEmpty()) {
                Request act = request(destinations, action(), filterSpec, params, timeout);
                requestIds.put(action().wireName(), act.id());
                Collected answered = client.direct(act, targets, timeout);
                timings.put(action().wireName(), answered.elapsed().toMillis());
                timings.put(action().wireName() + "_last_reply", answered.lastReply().toMillis());
                answered.replies().values().forEach(reply -> rows.add(answered.duplicates().contains(reply.node())
                        ? duplicate(reply.node()) : result(reply)));
                answered.missing().forEach(node -> rows.add(NodeResult.noResponse(node,
                        "matched, then did not answer " + action().wireName())));
                warn(err, answered);
            }
        }
        RunReport report = new RunReport(action().wireName(), noop(), requestIds, filterMap(filterSpec), rows,
                notMatched, timings);
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            JsonRenderer.render(report, out);
        } else {
            TableRenderer.render(report, out);
        }
        return report.exitCode();
    }

    private static void warn(PrintWriter err, Collected collected) {
        collected.unreadable().forEach(why -> err.println("orch: warning: " + why));
        err.flush();
    }

    private static NodeResult duplicate(String node) {
        return new NodeResult(node, "failed", "more than one responder answered as this identity; not acted on",
                List.of(), Map.of(), -1);
    }

    private static void checkPositive(String flag, Duration value) {
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

    static NodeResult result(NodeReply nodeReply) {
        Reply reply = nodeReply.reply();
        String message = reply.message();
        if (reply.data().get("facts") instanceof Map<?, ?> facts && !facts.isEmpty()) {
            List<String> pairs = new ArrayList<>();
            facts.forEach((k, v) -> pairs.add(k + "=" + v));
            message += " [" + String.join(", ", pairs) + "]";
        }
        return new NodeResult(reply.node(), reply.status().wireName(), message, reasons(reply.data()),
                reply.data(), nodeReply.after().toMillis());
    }

    /** Reason names from {@code data.reasons}, whether given as names or as objects with a name. */
    static List<String> reasons(Map<String, Object> data) {
        List<String> names = new ArrayList<>();
        if (data.get("reasons") instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> map && map.get("name") != null) {
                    names.add(String.valueOf(map.get("name")));
                } else if (item instanceof String s) {
                    names.add(s);
                }
            }
        }
        return names;
    }

    private static Map<String, Object> filterMap(FilterSpec spec) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("fact", spec.fact());
        map.put("identity", spec.identity());
        map.put("compound", spec.compound());
        return map;
    }

    private Set<String> inventory() {
        if (nodesFile == null) {
            return Set.of();
        }
        try {
            Set<String> nodes = new LinkedHashSet<>();
            int lineNo = 0;
            for (String line : Files.readAllLines(nodesFile)) {
                lineNo++;
                String id = line.contains("#") ? line.substring(0, line.indexOf('#')).trim() : line.trim();
                if (id.isEmpty()) {
                    continue;
                }
                String problem = Destinations.identityProblem(id);
                if (problem != null) {
                    throw new UsageException("--nodes " + nodesFile + " line " + lineNo + ": " + problem);
                }
                nodes.add(id);
            }
            if (nodes.isEmpty()) {
                throw new UsageException("--nodes " + nodesFile + " lists no node");
            }
            return nodes;
        } catch (NoSuchFileException e) {
            throw new UsageException("--nodes " + nodesFile + ": no such file");
        } catch (IOException e) {
            throw new UsageException("--nodes " + nodesFile + ": cannot read: " + e.getMessage());
        }
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
