package io.orch.cli.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The replies to one request.
 *
 * @param replies    by node, in arrival order
 * @param missing    expected nodes that did not answer in time
 * @param unreadable replies that could not be decoded (with why), so nothing goes unmentioned
 * @param elapsed    from publish to the end of collecting
 * @param lastReply  from publish to the last reply, or zero when none came
 */
public record Collected(String requestId, Map<String, NodeReply> replies, Set<String> missing,
                        List<String> unreadable, Duration elapsed, Duration lastReply) {
    public Collected {
        replies = Map.copyOf(replies);
        missing = Set.copyOf(missing);
        unreadable = List.copyOf(unreadable);
    }

    public List<NodeReply> matched() {
        return replies.values().stream().filter(r -> r.reply().matched()).sorted(
                java.util.Comparator.comparing(NodeReply::node)).toList();
    }

    public long notMatchedCount() {
        return replies.values().stream().filter(r -> !r.reply().matched()).count();
    }
}
