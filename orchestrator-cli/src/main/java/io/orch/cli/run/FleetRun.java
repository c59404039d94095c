package io.orch.cli.run;

import io.orch.cli.TimeText;
import io.orch.cli.inventory.Inventory;
import io.orch.cli.inventory.InventoryCache;
import io.orch.cli.inventory.KnownNode;
import io.orch.cli.inventory.LastSeen;
import io.orch.protocol.Limits;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.filter.FilterSpec;
import io.orch.protocol.payload.ActionParams;
import io.orch.protocol.payload.NoData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One run against the fleet, from discovery to the report: discover (by broadcast, or on each
 * node's own topic when the nodes asked are known by name, see {@link Addressing}), narrow the
 * matched nodes down (exclusions, limit), then, for actions that change or inspect a node, send
 * the action to exactly those nodes, all at once or batch by batch, and report what became of
 * every one. It talks to the bus only through {@link Bus}, and takes its time from a {@link RunClock}.
 */
public final class FleetRun {
    /** The last word before the action goes out to the targets. */
    public interface Confirmation {
        Confirmation NONE = targets -> {
        };

        /** @throws RuntimeException (a usage error) to stop the run before anything is sent */
        void confirm(List<String> targets);
    }

    private final Bus bus;
    private final RunSettings settings;
    private final LastSeen lastSeen;
    private final InventoryCache known;
    private final RunListener listener;
    private final Confirmation confirmation;
    private final RunClock clock;
    private final CountDownLatch stop = new CountDownLatch(1);

    /**
     * @param lastSeen     when each node was last heard from; updated with who answered, and saved
     * @param known        the nodes this host knows of; brought up to date from the bus (unless --nodes says who is
     *                     expected), and saved
     * @param listener     told as things happen, warnings included
     * @param confirmation asked once the targets are known, before the action goes out
     */
    public FleetRun(Bus bus, RunSettings settings, LastSeen lastSeen, InventoryCache known, RunListener listener,
                    Confirmation confirmation, RunClock clock) {
        this.bus = Objects.requireNonNull(bus, "bus == null");
        this.settings = Objects.requireNonNull(settings, "settings == null");
        this.lastSeen = Objects.requireNonNull(lastSeen, "lastSeen == null");
        this.known = Objects.requireNonNull(known, "known == null");
        this.listener = Objects.requireNonNull(listener, "listener == null");
        this.confirmation = Objects.requireNonNull(confirmation, "confirmation == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    /** Ends the run as soon as possible: no new batch, no more waiting. Safe from any thread. */
    public void stop() {
        stop.countDown();
        bus.stop();
    }

    /**
     * Runs it to its end, or to a stop, and tells the listener the report.
     *
     * @param runStart {@link RunClock#nanoTime()} at the start of the run (before connecting), the zero of
     *                 every reported time
     * @throws InterruptedException when stopped at the confirmation, before anything was sent
     */
    public RunReport run(long runStart) throws InterruptedException, BrokerUnreachableException {
        try (EventFeed events = settings.batching().waitForBack() ? bus.events() : null) {
            return run(runStart, events);
        }
    }

    private RunReport run(long runStart, EventFeed events) throws InterruptedException, BrokerUnreachableException {
        Action action = settings.action();
        boolean twoPhase = settings.twoPhase();
        RunSettings.Targets targeting = settings.targets();
        Map<String, List<String>> requestIds = new LinkedHashMap<>();
        Map<String, Long> timings = new LinkedHashMap<>();
        List<NodeResult> rows = new ArrayList<>();
        Set<String> heard = new HashSet<>();

        // Who is expected to answer: the nodes named (--nodes, exact -I identities) when there are any, else every
        // known node that is up or rebooting (which of them match the filter only their answers tell, so all of
        // them must answer).
        Addressing addressing = Addressing.of(settings.filter(), targeting.inventory(), targeting.excluded());
        Inventory inventory = null;
        Set<String> expected = addressing.expected();
        if (expected.isEmpty() && addressing.counted().isEmpty()) {
            inventory = learnInventory();
            expected = new java.util.LinkedHashSet<>(inventory.expected());
            expected.removeAll(targeting.excluded());
            // A known node whose identity no -I /regex/ matches cannot match: it is not waited for.
            expected.removeIf(node -> !Addressing.mayMatch(settings.filter(), node));
        }
        // Discovery also waits for a quiet spell after the last reply when the known list may be short (the broker's
        // announcements did not all arrive), and before an action that changes nodes: a second responder with a
        // known identity (a cloned machine) answers a moment after the first, and must be caught before anything
        // is sent to that identity.
        boolean changesNodes = twoPhase && !settings.noop() && (action == Action.REBOOT || action == Action.CANCEL);
        boolean awaitQuiet = changesNodes || (inventory != null && inventory.note() != null);
        Discovery discovery = new Discovery(expected, addressing.addressed(), addressing.counted(), awaitQuiet,
                Discovery.DEFAULT_INITIAL, Discovery.DEFAULT_QUIET, settings.discoveryTimeout());
        Action first = twoPhase ? Action.DISCOVER : action;
        // Discovery carries no action parameters: it only asks who matches.
        Request discover = request(first, settings.filter(), twoPhase ? NoData.INSTANCE : settings.params(),
                settings.discoveryTimeout());
        requestIds.put(first.wireName(), List.of(discover.id()));
        Collected found;
        String lost = null;
        boolean interrupted;
        try {
            found = bus.discover(discover, discovery);
            interrupted = found.stopped();
        } catch (BrokerUnreachableException e) {
            if (e.partial() == null) {
                throw e;
            }
            // The report still says who answered before the loss (--json prints it), and that the broker was lost.
            found = e.partial();
            // Either way the bus is gone and the run ends here. The loss may reach discovery before the stop
            // that caused it (Ctrl-C closing the connection), so the bus, not the partial result, says which.
            interrupted = stop.getCount() == 0 || bus.stopped();
            lost = interrupted ? null : e.getMessage();
            listener.warning(e.getMessage());
        }
        timings.put("discovery", found.elapsed().toMillis());
        timings.put("discovery_last_reply", found.lastReply().toMillis());
        heard.addAll(found.replies().keySet());
        long notMatched = found.notMatchedCount();
        Set<String> missingNodes = new java.util.TreeSet<>(found.missing());
        InventorySummary inventorySummary;
        if (inventory == null) {
            inventorySummary = new InventorySummary(targeting.inventory().isEmpty() ? InventorySummary.IDENTITIES
                    : InventorySummary.NODES_FILE, targeting.inventory().isEmpty() ? expected.size()
                    : targeting.inventory().size(), expected.size(), List.of(), null);
        } else {
            inventorySummary = settle(inventory, found, missingNodes, expected.size());
        }
        for (String node : missingNodes) {
            rows.add(missing(node, lost != null ? "no answer before the broker was lost"
                    : interrupted ? "no answer yet when discovery was interrupted"
                    : twoPhase ? "did not answer discovery" : "did not answer"));
        }
        List<String> matched = new ArrayList<>();
        // When the first request is the action, each answer is a node's result: streamed as it is for an action.
        List<NodeResult> answered = new ArrayList<>();
        for (NodeReply reply : found.replies().values()) {
            boolean failed = reply.reply().status().isFailure();
            if (found.duplicates().contains(reply.node())) {
                rows.add(Rows.duplicate(reply.node()));
            } else if ((failed || reply.reply().matched()) && targeting.excluded().contains(reply.node())) {
                // Never acted on, whatever it answered: a refusal (often why it was left out) fails nothing.
                rows.add(skipped(reply.node(), "excluded by --exclude-nodes " + targeting.excludedBy() + (failed
                        ? " (it answered " + reply.reply().status().wireName() + ": " + reply.reply().message() + ")"
                        : "")));
            } else if (failed) {
                NodeResult row = Rows.fromReply(reply);
                rows.add(row);
                if (!twoPhase) {
                    answered.add(row);
                }
            } else if (reply.reply().matched()) {
                matched.add(reply.node());
                if (!twoPhase) {
                    NodeResult row = Rows.fromReply(reply);
                    rows.add(row);
                    answered.add(row);
                }
            }
        }
        found.unreadable().forEach(listener::warning);
        matched.sort(null);
        List<String> targets = twoPhase ? matched : List.of();
        if (twoPhase && targeting.limit() != null && matched.size() > targeting.limit().of(matched.size())) {
            targets = matched.subList(0, targeting.limit().of(matched.size()));
            for (String node : matched.subList(targets.size(), matched.size())) {
                rows.add(skipped(node, "left out by " + targeting.limitedBy()));
            }
        }
        listener.discovered(discover.id(), twoPhase ? targets.size() : matched.size(), notMatched,
                List.copyOf(missingNodes), found.elapsed().toMillis());
        answered.forEach(listener::node);
        String stopReason = lost != null ? RunReport.STOP_BROKER_LOST
                : interrupted ? RunReport.STOP_INTERRUPTED : null;
        Rollout.Result rollout = null;
        if (stopReason != null) {
            String why = lost != null ? "not started: the broker was lost during discovery"
                    : "not started: the run was interrupted during discovery";
            targets.forEach(node -> rows.add(new NodeResult(node, NodeResult.NOT_STARTED, why, List.of(),
                    NoData.INSTANCE, -1)));
        } else if (twoPhase && !targets.isEmpty()) {
            confirmation.confirm(targets);
            if (stop.getCount() == 0) {
                throw new InterruptedException("interrupted before anything was rebooted"); // exit 130
            }
            rollout = new Rollout(bus, events, settings, (a, p, ttl, filtered) ->
                    request(a, filtered ? settings.filter() : FilterSpec.EMPTY, p, ttl), listener, clock, runStart,
                    stop).run(targets);
            rows.addAll(rollout.nodes());
            rollout.warnings().forEach(listener::warning);
            requestIds.put(action.wireName(), rollout.requestIds());
            stopReason = rollout.stopReason();
            rollout.nodes().stream().filter(r -> r.replyMs() >= 0).forEach(r -> heard.add(r.identity()));
            if (!rollout.batches().isEmpty()) {
                BatchResult firstBatch = rollout.batches().get(0);
                timings.put(action.wireName(), firstBatch.repliedMs() - firstBatch.startedMs());
            }
        }
        timings.put("total", TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - runStart));
        Instant now = clock.now();
        heard.forEach(node -> lastSeen.saw(node, now));
        String unsaved = lastSeen.save();
        if (unsaved != null) {
            listener.warning(unsaved);
        }
        if (inventory != null) {
            String unrecorded = known.save();
            if (unrecorded != null) {
                listener.warning(unrecorded);
            }
        }
        List<Unverified> unverified = bus.unverified();
        unverified.forEach(u -> listener.warning(u.describe()));
        long dropped = bus.dropped();
        if (dropped > 0) {
            listener.warning(dropped + " message(s) received but not kept: the CLI's inbox was full (limits "
                    + Limits.MAX_CLI_INBOX_MESSAGES + " messages, " + Limits.MAX_CLI_INBOX_BYTES + " bytes), they "
                    + "were further copies of a node's answer, past " + Limits.MAX_CLI_EVENTS_PER_NODE
                    + " events of one node, or past the first " + Limits.MAX_CLI_NOTES
                    + " unverified or unreadable ones; nodes whose replies were dropped show as no response");
        }
        RunReport report = new RunReport(action.wireName(), settings.noop(), requestIds, settings.filter().toMap(),
                rows, notMatched, timings, rollout == null ? List.of() : rollout.batches(), stopReason,
                settings.reportedOptions(), unverified, dropped, inventorySummary);
        listener.finished(report);
        return report;
    }

    /**
     * The known nodes, brought up to date from the broker's retained announcements; a broker that gives
     * none (it refused or did not return the marker) leaves this host's record, and the run says so.
     */
    private Inventory learnInventory() throws InterruptedException, BrokerUnreachableException {
        Duration wait = Duration.ofMillis(Math.min(Limits.CLI_REGISTRY_BARRIER_MS,
                settings.discoveryTimeout().toMillis()));
        Registry registry = bus.registry(wait);
        if (registry.note() != null) {
            listener.warning(registry.note());
        }
        return Inventory.of(known, registry.announced(), registry.note(), clock.now());
    }

    /**
     * Once discovery is over: believes the announcements of the nodes that answered, checks the others', and
     * makes every known node that did not answer and was not stopped cleanly {@code missing}, so none is ever
     * silently absent. Those that stopped cleanly were not asked: a warning names them.
     */
    private InventorySummary settle(Inventory inventory, Collected found, Set<String> missingNodes, int waitedFor) {
        inventory.settle(found.replies().keySet(), clock.now());
        Set<String> excluded = settings.targets().excluded();
        missingNodes.clear();
        for (String node : inventory.expected()) {
            if (!found.replies().containsKey(node) && !excluded.contains(node)
                    && Addressing.mayMatch(settings.filter(), node)) {
                missingNodes.add(node);
            }
        }
        List<String> stopped = inventory.stopped().stream().map(KnownNode::identity)
                .filter(node -> !found.replies().containsKey(node) && Addressing.mayMatch(settings.filter(), node))
                .toList();
        if (!stopped.isEmpty()) {
            listener.warning(stopped.size() + " known node(s) stopped cleanly and were not asked: "
                    + String.join(", ", stopped));
        }
        if (inventory.isEmpty()) {
            return InventorySummary.none();
        }
        String source = inventory.note() == null ? InventorySummary.REGISTRY : InventorySummary.RECORD;
        return new InventorySummary(source, inventory.nodes().size(), waitedFor, stopped,
                inventory.note());
    }

    private NodeResult missing(String node, String what) {
        var seen = lastSeen.of(node);
        var announced = known.node(node);
        Instant now = clock.now();
        String message = what + announced.map(a -> "; last announced " + a.state().wireName() + " at "
                        + a.announcedAt() + " (" + TimeText.ago(Duration.between(a.announcedAt(), now).toSeconds())
                        + " ago)").orElse("")
                + seen.map(at -> "; last seen " + at + " ("
                        + TimeText.ago(Duration.between(at, now).toSeconds()) + " ago)")
                .orElse("; never seen from this host");
        NodeResult row = NodeResult.noResponse(node, message);
        if (seen.isPresent()) {
            row = row.withLastSeen(seen.get().toString());
        }
        if (announced.isPresent()) {
            row = row.withLastAnnounced(announced.get().announcedAt().toString());
        }
        return row;
    }

    private static NodeResult skipped(String node, String why) {
        return new NodeResult(node, NodeResult.SKIPPED, why, List.of(), NoData.INSTANCE, -1);
    }

    /**
     * A request's lifetime: exactly as long as the CLI waits for its replies, rounded up to whole
     * seconds (nodes allow for clock skew on top).
     */
    public static Duration ttl(Duration wait) {
        return Duration.ofSeconds(Math.max(1, (wait.toMillis() + 999) / 1000));
    }

    private Request request(Action action, FilterSpec filter, ActionParams params, Duration wait) {
        Duration ttl = ttl(wait);
        RunSettings.Sender sender = settings.sender();
        return Request.create(sender.collective(), action, filter, params, sender.caller(), sender.host(),
                clock.now(), ttl);
    }
}
