package io.orch.cli.run;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Where discovery asks and when it stops collecting replies: as soon as every known node has
 * answered; with no inventory, once replies have been quiet for {@code quiet} (never sooner than
 * {@code initial} after publishing); and in any case at {@code timeout}.
 *
 * @param inventory the nodes expected to answer, or empty when unknown
 * @param addressed the nodes asked, each on its own topic; empty to ask every node by broadcast. Only
 *                  these nodes' replies count then.
 */
public record Discovery(Set<String> inventory, Set<String> addressed, Duration initial, Duration quiet,
                        Duration timeout) {
    public static final Duration DEFAULT_INITIAL = Duration.ofSeconds(2);
    public static final Duration DEFAULT_QUIET = Duration.ofMillis(1000);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public Discovery {
        inventory = Set.copyOf(inventory);
        addressed = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(addressed));
        if (!addressed.isEmpty() && inventory.isEmpty()) {
            throw new IllegalArgumentException("addressed nodes need an inventory: discovery waits for them");
        }
        Objects.requireNonNull(initial, "initial == null");
        Objects.requireNonNull(quiet, "quiet == null");
        Objects.requireNonNull(timeout, "timeout == null");
    }

    /** Broadcast, with {@code inventory} (maybe empty) expected to answer. */
    public Discovery(Set<String> inventory, Duration initial, Duration quiet, Duration timeout) {
        this(inventory, Set.of(), initial, quiet, timeout);
    }

    /** Nanos from publish at which collecting ends, given the replies so far. */
    public long deadlineNanos(long publishedAt, long lastReplyAt, boolean anyReply) {
        long hard = publishedAt + timeout.toNanos();
        if (!inventory.isEmpty()) {
            return hard;
        }
        long soft = publishedAt + initial.toNanos();
        if (anyReply) {
            soft = Math.max(soft, lastReplyAt + quiet.toNanos());
        }
        return Math.min(hard, soft);
    }
}
