package io.orch.cli.run;

import io.orch.cli.options.Amount;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.filter.FilterSpec;
import io.orch.protocol.payload.ActionParams;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a run goes by, checked and resolved by the command that starts it.
 *
 * @param action            what the nodes carry out
 * @param params            the action's parameters, a record of the action's own type
 * @param noop              a dry run: nothing changes on the nodes
 * @param twoPhase          discovery is followed by the action sent to each matched node; false when the
 *                          broadcast is the action (ping, discover)
 * @param filter            who is asked
 * @param sender            who asks, as each request says
 * @param targets           which of the matched nodes the action goes to
 * @param discoveryTimeout  the longest wait for discovery replies
 * @param batching          how the action goes out: batches, waiting, failures allowed
 * @param reportedOptions   the settings as the report shows them
 */
public record RunSettings(Action action, ActionParams params, boolean noop, boolean twoPhase, FilterSpec filter,
                          Sender sender, Targets targets, Duration discoveryTimeout, Batching batching,
                          Map<String, Object> reportedOptions) {
    public RunSettings {
        Objects.requireNonNull(action, "action == null");
        Objects.requireNonNull(params, "params == null");
        Objects.requireNonNull(filter, "filter == null");
        Objects.requireNonNull(sender, "sender == null");
        Objects.requireNonNull(targets, "targets == null");
        Objects.requireNonNull(discoveryTimeout, "discoveryTimeout == null");
        Objects.requireNonNull(batching, "batching == null");
        reportedOptions = reportedOptions == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(reportedOptions));
    }

    /** The collective asked, and who asks: {@code caller} (user) from {@code host}. */
    public record Sender(String collective, String caller, String host) {
        public Sender {
            Objects.requireNonNull(collective, "collective == null");
        }
    }

    /**
     * @param inventory  the nodes listed to answer discovery ({@code --nodes}), excluded ones included, or empty
     *                   when unknown
     * @param excluded   never acted on; matched ones are {@code skipped}
     * @param excludedBy the flag that excluded them, as a skipped row names it
     * @param limit      act on the first this many of the matched nodes, or null for all
     * @param limitedBy  the flag that set the limit, as a skipped row names it
     */
    public record Targets(Set<String> inventory, Set<String> excluded, String excludedBy, Amount limit,
                          String limitedBy) {
        public static final Targets ALL = new Targets(Set.of(), Set.of(), null, null, null);

        public Targets {
            inventory = Collections.unmodifiableSet(new LinkedHashSet<>(inventory));
            excluded = Set.copyOf(excluded);
        }
    }

    /**
     * @param batch        nodes per batch, or null for all at once
     * @param batchSleep   pause between batches
     * @param waitForBack  wait for each batch's nodes to come back before the next
     * @param waitTimeout  how long a batch may take to come back, from its request
     * @param requireClear a node that is back but still pending counts as failed
     * @param maxFailures  stop before the next batch once this many nodes failed, or null for never
     * @param replyTimeout how long the nodes of a batch have to reply
     */
    public record Batching(Amount batch, Duration batchSleep, boolean waitForBack, Duration waitTimeout,
                           boolean requireClear, Amount maxFailures, Duration replyTimeout) {
        public Batching {
            batchSleep = batchSleep == null ? Duration.ZERO : batchSleep;
            Objects.requireNonNull(replyTimeout, "replyTimeout == null");
            if (waitForBack) {
                Objects.requireNonNull(waitTimeout, "waitTimeout == null");
            }
        }

        /** All at once, without waiting. */
        public static Batching allAtOnce(Duration replyTimeout) {
            return new Batching(null, Duration.ZERO, false, null, false, null, replyTimeout);
        }
    }
}
