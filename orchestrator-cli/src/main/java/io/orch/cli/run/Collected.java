package io.orch.cli.run;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The replies to one request.
 *
 * @param replies    by node, in arrival order
 * @param missing    expected nodes that did not answer in time
 * @param duplicates identities that answered more than once: two responders claim the same name
 * @param unreadable replies that could not be decoded (with why), so nothing goes unmentioned
 * @param elapsed    from publish to the end of collecting
 * @param lastReply  from publish to the last reply, or zero when none came
 * @param stopped    the run was stopped (Ctrl-C) while collecting
 * @param sent       false when the run was stopped before the request went out: nobody got it
 */
public record Collected(String requestId, Map<String, NodeReply> replies, Set<String> missing,
                        Set<String> duplicates, List<String> unreadable, Duration elapsed, Duration lastReply, boolean stopped,
                        boolean sent) {
    public Collected {
        replies = Collections.unmodifiableMap(new LinkedHashMap<>(replies));
        missing = Set.copyOf(missing);
        duplicates = Set.copyOf(duplicates);
        unreadable = List.copyOf(unreadable);
    }

    /** Nodes that answered, did not match and did not fail (failures are reported on their own). */
    public long notMatchedCount() {
        return replies.values().stream()
                .filter(r -> !r.reply().matched() && !r.reply().status().isFailure()
                        && !duplicates.contains(r.node()))
                .count();
    }
}
