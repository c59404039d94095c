package io.orch.cli.run;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Where discovery asks, whose replies count, and when it stops collecting them: as soon as every
 * expected node has answered when that list is complete; with no list, once replies have been quiet
 * for {@code quiet} (never sooner than {@code initial} after publishing); with a list and
 * {@code awaitQuiet}, once both hold; and in any case at {@code timeout}.
 *
 * @param inventory  the nodes expected to answer, or empty when unknown
 * @param addressed  the nodes asked, each on its own topic; empty to ask every node by broadcast
 * @param counted    the only nodes whose replies count (the nodes named by {@code --nodes} or exact
 *                   {@code -I}s, however the request went out); empty for any node
 * @param awaitQuiet other replies are still awaited for a quiet spell once the expected nodes answered: the
 *                   list may miss nodes, or a second responder with a known identity must be caught
 *                   before an action that changes nodes
 */
public record Discovery(Set<String> inventory, Set<String> addressed, Set<String> counted, boolean awaitQuiet,
                        Duration initial, Duration quiet, Duration timeout) {
    public static final Duration DEFAULT_INITIAL = Duration.ofSeconds(2);
    public static final Duration DEFAULT_QUIET = Duration.ofMillis(1000);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public Discovery {
        inventory = Set.copyOf(inventory);
        addressed = Collections.unmodifiableSet(new LinkedHashSet<>(addressed));
        counted = Collections.unmodifiableSet(new LinkedHashSet<>(counted));
        if (!addressed.isEmpty() && inventory.isEmpty()) {
            throw new IllegalArgumentException("addressed nodes need an inventory: discovery waits for them");
        }
        if (!counted.containsAll(addressed)) {
            throw new IllegalArgumentException("an addressed node's reply must count");
        }
        Objects.requireNonNull(initial, "initial == null");
        Objects.requireNonNull(quiet, "quiet == null");
        Objects.requireNonNull(timeout, "timeout == null");
    }

    /** Asks {@code addressed} (or broadcasts when empty), counting only their replies, expecting {@code inventory}. */
    public Discovery(Set<String> inventory, Set<String> addressed, Duration initial, Duration quiet, Duration timeout) {
        this(inventory, addressed, addressed, false, initial, quiet, timeout);
    }

    /** Broadcast, with {@code inventory} (maybe empty) expected to answer. */
    public Discovery(Set<String> inventory, Duration initial, Duration quiet, Duration timeout) {
        this(inventory, Set.of(), initial, quiet, timeout);
    }

    /** Whether collecting can end now: every expected node answered, and no other is waited for. */
    public boolean complete(boolean expectedAllIn) {
        return !inventory.isEmpty() && !awaitQuiet && expectedAllIn;
    }

    /** Nanos from publish at which collecting ends, given the replies so far, while some expected node is silent. */
    public long deadlineNanos(long publishedAt, long lastReplyAt, boolean anyReply) {
        return deadlineNanos(publishedAt, lastReplyAt, anyReply, false);
    }

    /** Nanos from publish at which collecting ends, given the replies so far and whether every expected node answered. */
    public long deadlineNanos(long publishedAt, long lastReplyAt, boolean anyReply, boolean expectedAllIn) {
        long hard = publishedAt + timeout.toNanos();
        if (!inventory.isEmpty() && (!awaitQuiet || !expectedAllIn)) {
            return hard; // a silent expected node is waited for to the end
        }
        long soft = publishedAt + initial.toNanos();
        if (anyReply) {
            soft = Math.max(soft, lastReplyAt + quiet.toNanos());
        }
        return Math.min(hard, soft);
    }

    /** Whether a reply of {@code node} counts. */
    public boolean counts(String node) {
        return counted.isEmpty() || counted.contains(node);
    }
}
