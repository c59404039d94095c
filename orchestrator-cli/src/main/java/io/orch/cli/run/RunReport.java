package io.orch.cli.run;

import io.orch.cli.ExitCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one run, complete enough that a script never has to guess: every node that
 * matched and what became of it, how many answered without matching, who never answered, and
 * for a rolling reboot each batch and why the run stopped early, if it did.
 *
 * @param requestIds   by phase: {@code discover}, then the action (one id per batch)
 * @param notMatched   nodes that answered but did not match the filter
 * @param timingsMs    named durations in milliseconds (discovery, action, last reply, total)
 * @param batches      the batches sent, in order (one for an action sent to all at once)
 * @param stopReason   null when the run went to its end; {@code max_failures}, {@code interrupted} or
 *                     {@code broker_lost}
 * @param options      the rollout settings, as given (batch size, wait, timeouts)
 * @param unverified   replies and events that failed verification; none of them counted for any node
 * @param dropped      messages the CLI received but did not keep ({@link Bus#dropped})
 * @param inventory    where the expected nodes came from, or null when the report does not say
 */
public record RunReport(String action, boolean noop, Map<String, List<String>> requestIds,
                        Map<String, Object> filter, List<NodeResult> nodes, long notMatched,
                        Map<String, Long> timingsMs, List<BatchResult> batches, String stopReason,
                        Map<String, Object> options, List<Unverified> unverified, long dropped,
                        InventorySummary inventory) {

    public static final String STOP_MAX_FAILURES = "max_failures";
    public static final String STOP_INTERRUPTED = "interrupted";
    public static final String STOP_BROKER_LOST = "broker_lost";

    /** Summary order: what happened, then what is left, then what went wrong. */
    private static final List<String> ORDER = List.of("ok", NodeResult.REBOOTED, "scheduled", "noop", "not_pending",
            "not_matched", "cancelled", NodeResult.SKIPPED, NodeResult.NOT_STARTED, NodeResult.STILL_PENDING,
            NodeResult.REBOOT_FAILED, NodeResult.REBOOT_INTERRUPTED, "denied", "expired", "invalid", "failed",
            NodeResult.NOT_BACK, NodeResult.NO_RESPONSE);

    public RunReport {
        Map<String, List<String>> ids = new LinkedHashMap<>();
        requestIds.forEach((phase, list) -> ids.put(phase, List.copyOf(list)));
        requestIds = java.util.Collections.unmodifiableMap(ids);
        nodes = nodes.stream().sorted(Comparator.comparing(NodeResult::identity)).toList();
        timingsMs = new LinkedHashMap<>(timingsMs);
        batches = List.copyOf(batches);
        options = options == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
        unverified = unverified == null ? List.of() : List.copyOf(unverified);
    }

    /** A report that does not say where its expected nodes came from. */
    public RunReport(String action, boolean noop, Map<String, List<String>> requestIds, Map<String, Object> filter,
                     List<NodeResult> nodes, long notMatched, Map<String, Long> timingsMs, List<BatchResult> batches,
                     String stopReason, Map<String, Object> options, List<Unverified> unverified, long dropped) {
        this(action, noop, requestIds, filter, nodes, notMatched, timingsMs, batches, stopReason, options, unverified,
                dropped, null);
    }

    /** A report with nothing dropped. */
    public RunReport(String action, boolean noop, Map<String, List<String>> requestIds, Map<String, Object> filter,
                     List<NodeResult> nodes, long notMatched, Map<String, Long> timingsMs, List<BatchResult> batches,
                     String stopReason, Map<String, Object> options, List<Unverified> unverified) {
        this(action, noop, requestIds, filter, nodes, notMatched, timingsMs, batches, stopReason, options, unverified,
                0);
    }

    /** A report with nothing unverified. */
    public RunReport(String action, boolean noop, Map<String, List<String>> requestIds, Map<String, Object> filter,
                     List<NodeResult> nodes, long notMatched, Map<String, Long> timingsMs, List<BatchResult> batches,
                     String stopReason, Map<String, Object> options) {
        this(action, noop, requestIds, filter, nodes, notMatched, timingsMs, batches, stopReason, options, List.of(),
                0);
    }

    public List<String> noResponse() {
        return identities(NodeResult.NO_RESPONSE);
    }

    public List<String> identities(String status) {
        return nodes.stream().filter(n -> n.status().equals(status)).map(NodeResult::identity).toList();
    }

    /** Count per status, in summary order; always includes failed and no response so scripts can rely on them. */
    public Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String status : ORDER) {
            long n = nodes.stream().filter(r -> r.status().equals(status)).count();
            if (n > 0 || status.equals("failed") || status.equals(NodeResult.NO_RESPONSE)) {
                counts.put(status, n);
            }
        }
        return counts;
    }

    /** True when not a single node answered: no responder in this collective, or none reachable. */
    public boolean nobodyAnswered() {
        return nodes.stream().allMatch(n -> n.status().equals(NodeResult.NO_RESPONSE)) && notMatched == 0
                && nodes.stream().noneMatch(n -> n.batch() > 0);
    }

    /** Nodes whose reboot was scheduled and that the run did not see come back: still to happen, cancellable. */
    public List<NodeResult> inFlight() {
        return nodes.stream().filter(n -> n.status().equals("scheduled") || n.mayStillReboot()).toList();
    }

    public int exitCode() {
        if (STOP_INTERRUPTED.equals(stopReason)) {
            return ExitCode.INTERRUPTED;
        }
        if (STOP_BROKER_LOST.equals(stopReason)) {
            return ExitCode.BROKER_UNREACHABLE;
        }
        if (STOP_MAX_FAILURES.equals(stopReason)) {
            return ExitCode.MAX_FAILURES;
        }
        if (nodes.stream().anyMatch(NodeResult::failed)) {
            return ExitCode.NODE_FAILED;
        }
        return nodes.stream().noneMatch(NodeResult::missing) && !nobodyAnswered() ? ExitCode.OK : ExitCode.NO_RESPONSE;
    }

    /** e.g. {@code 12 rebooted, 3 not pending, 0 failed, 2 no response: lab-0007, lab-0019} */
    public String summaryLine() {
        List<String> parts = new ArrayList<>();
        counts().forEach((status, n) -> parts.add(n + " " + status.replace('_', ' ')));
        String line = String.join(", ", parts);
        // A line for a person, also in --json: each name through the one sanitiser, none cut off.
        List<String> missing = nodes.stream().filter(NodeResult::missing)
                .map(n -> io.orch.cli.output.SafeText.field(n.identity())).toList();
        if (!missing.isEmpty()) {
            line += ": " + String.join(", ", missing);
        }
        if (!unverified.isEmpty()) {
            line += "; " + unverified.size() + " unverified message" + (unverified.size() == 1 ? "" : "s")
                    + " ignored";
        }
        if (dropped > 0) {
            line += "; " + dropped + " message" + (dropped == 1 ? "" : "s") + " received but not kept";
        }
        if (STOP_MAX_FAILURES.equals(stopReason)) {
            line += "; stopped by --max-failures";
        } else if (STOP_INTERRUPTED.equals(stopReason)) {
            line += "; interrupted";
        } else if (STOP_BROKER_LOST.equals(stopReason)) {
            line += "; stopped: lost the broker";
        }
        return line;
    }
}
