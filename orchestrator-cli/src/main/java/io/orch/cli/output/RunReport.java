package io.orch.cli.output;

import io.orch.cli.ExitCode;
import io.orch.protocol.envelope.ReplyStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one run, complete enough that a script never has to guess: every node that
 * matched and what it answered, how many answered without matching, and who never answered.
 *
 * @param requestIds   by phase ({@code discover}, then the action)
 * @param notMatched   nodes that answered but did not match the filter
 * @param timingsMs    named durations in milliseconds (discovery, action, last reply)
 */
public record RunReport(String action, boolean noop, Map<String, String> requestIds, Map<String, Object> filter,
                        List<NodeResult> nodes, long notMatched, Map<String, Long> timingsMs) {

    /** Summary order: what happened, then what went wrong. */
    private static final List<String> ORDER = List.of("ok", "scheduled", "noop", "not_pending", "not_matched",
            "cancelled", "denied", "expired", "invalid", "failed", NodeResult.NO_RESPONSE);

    public RunReport {
        requestIds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requestIds));
        nodes = nodes.stream().sorted(Comparator.comparing(NodeResult::identity)).toList();
        timingsMs = new LinkedHashMap<>(timingsMs);
    }

    public List<String> noResponse() {
        return nodes.stream().filter(n -> n.status().equals(NodeResult.NO_RESPONSE)).map(NodeResult::identity).toList();
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
        return nodes.isEmpty() && notMatched == 0;
    }

    public int exitCode() {
        boolean failed = nodes.stream().anyMatch(n -> ReplyStatus.fromWire(n.status())
                .map(ReplyStatus::isFailure).orElse(false));
        if (failed) {
            return ExitCode.NODE_FAILED;
        }
        return noResponse().isEmpty() && !nobodyAnswered() ? ExitCode.OK : ExitCode.NO_RESPONSE;
    }

    /** e.g. {@code 12 scheduled, 3 not pending, 0 failed, 2 no response: lab-0007, lab-0019} */
    public String summaryLine() {
        List<String> parts = new ArrayList<>();
        counts().forEach((status, n) -> parts.add(n + " " + status.replace('_', ' ')));
        String line = String.join(", ", parts);
        List<String> missing = noResponse();
        if (!missing.isEmpty()) {
            line += ": " + String.join(", ", missing);
        }
        return line;
    }
}
