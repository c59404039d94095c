package io.orch.cli.run;

import io.orch.cli.TimeText;
import io.orch.cli.run.NodeInput.BrokerLost;
import io.orch.cli.run.NodeInput.DeadlinePassed;
import io.orch.cli.run.NodeInput.EventReceived;
import io.orch.cli.run.NodeInput.Interrupted;
import io.orch.cli.run.NodeInput.ProbeAnswered;
import io.orch.cli.run.NodeInput.ReplyReceived;
import io.orch.protocol.Limits;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.payload.ActionParams;
import io.orch.protocol.payload.NoData;
import io.orch.protocol.payload.RebootData;
import io.orch.protocol.payload.RebootReport;
import io.orch.protocol.payload.StatusParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Sends the action to the targets batch by batch. A batch is one request to exactly its nodes;
 * with {@code waitForBack}, the batch is done when each node that scheduled a reboot has published
 * {@code rebooted} with a new boot id (or failed, or ran out of time), and the next batch starts
 * only then. Before each batch the failure count is checked against {@code maxFailures}, and a
 * stop (Ctrl-C) ends the run at once with what it knows.
 */
final class Rollout {
    /** Builds the request of each batch: a fresh id and creation time, so a late batch is never stale. */
    interface Requests {
        /**
         * @param filtered with the run's filter; false for a probe sent by name, which must be answered
         *                 even by a node that no longer matches (it rebooted: {@code reboot_pending} changed)
         */
        Request create(Action action, ActionParams params, Duration ttl, boolean filtered);
    }

    /** What became of every target, batch by batch, why the run ended early (or null), and what to warn of. */
    record Result(List<NodeResult> nodes, List<BatchResult> batches, List<String> requestIds, String stopReason,
                  List<String> warnings) {
    }

    /** A status probe should not hold the run up for long: a node that is back answers within seconds. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
    /**
     * How long a batch waits without any event of its own before it asks its awaited nodes directly: a
     * {@code rebooted} event lost on the way (non-persistent, a bridge down) then costs this, not the whole
     * --wait-timeout. A minute is longer than a reboot's events are ever apart on a sound bus, so a healthy
     * run seldom probes, and a probe is one small status request per awaited node.
     */
    static final Duration EARLY_PROBE_QUIET = Duration.ofSeconds(60);

    private final Bus bus;
    private final EventFeed events;
    private final RunSettings settings;
    private final RunSettings.Batching batching;
    private final Requests requests;
    private final RunListener listener;
    private final RunClock clock;
    private final long runStart;
    private final CountDownLatch stop;
    /** Nodes of earlier batches that were not back in time, by identity: a late return is still news. */
    private final Map<String, NodeProgress> late = new LinkedHashMap<>();
    /** Told once the run is over, so that no warning breaks into the lines a batch prints as it goes. */
    private final List<String> warnings = new ArrayList<>();

    /**
     * @param events   the collective's events, subscribed before the first batch is sent (needed with wait)
     * @param runStart {@link RunClock#nanoTime()} at the start of the run, the zero of every reported time
     * @param stop     opened by a stop (Ctrl-C)
     */
    Rollout(Bus bus, EventFeed events, RunSettings settings, Requests requests, RunListener listener, RunClock clock,
            long runStart, CountDownLatch stop) {
        this.bus = bus;
        this.events = events;
        this.settings = settings;
        this.batching = settings.batching();
        this.requests = requests;
        this.listener = listener;
        this.clock = clock;
        this.runStart = runStart;
        this.stop = stop;
        if (batching.waitForBack() && events == null) {
            throw new IllegalArgumentException("waiting for nodes to come back needs the event feed");
        }
    }

    private boolean stopped() {
        return stop.getCount() == 0 || bus.stopped();
    }

    Result run(List<String> targets) throws InterruptedException, BrokerUnreachableException {
        List<List<String>> batches = split(batching.batch(), targets);
        List<NodeResult> rows = new ArrayList<>();
        List<BatchResult> done = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        int allowed = batching.maxFailures() == null ? Integer.MAX_VALUE : batching.maxFailures().of(targets.size());
        int failures = 0;
        String stopReason = null;
        long previousBack = -1;
        int next = 0;
        for (; next < batches.size(); next++) {
            if (stopped()) {
                stopReason = RunReport.STOP_INTERRUPTED;
                break;
            }
            if (failures >= allowed) {
                stopReason = RunReport.STOP_MAX_FAILURES;
                break;
            }
            if (next > 0 && !batching.batchSleep().isZero()) {
                listener.sleeping(batching.batchSleep().toMillis());
                if (clock.sleep(batching.batchSleep().toNanos(), stop)) {
                    stopReason = RunReport.STOP_INTERRUPTED;
                    break;
                }
            }
            Batch batch = new Batch(next + 1, batches.size(), batches.get(next));
            BatchResult result;
            try {
                result = batch.run(previousBack);
            } catch (BrokerUnreachableException e) {
                // Keep what is known: the nodes of earlier batches and this one's replies so far.
                warnings.add(e.getMessage());
                Collected partial = e.partial();
                boolean ours = partial != null && partial.requestId().equals(batch.request.id());
                if (ours && !partial.sent()) {
                    stopReason = stopped() ? RunReport.STOP_INTERRUPTED : RunReport.STOP_BROKER_LOST;
                    break; // nobody got this batch's request: its nodes are not started
                }
                ids.add(batch.request.id());
                result = batch.brokerLost(ours ? partial : null);
                done.add(result);
                listener.batchDone(result);
                rows.addAll(batch.rows());
                // A Ctrl-C came first: that is why the run ended, whatever happened to the broker after.
                stopReason = stopped() ? RunReport.STOP_INTERRUPTED : RunReport.STOP_BROKER_LOST;
                next++;
                break;
            }
            if (result == null) {
                stopReason = RunReport.STOP_INTERRUPTED; // stopped before its request went out
                break;
            }
            ids.add(batch.request.id());
            done.add(result);
            listener.batchDone(result);
            batch.rows().stream().filter(r -> r.status().equals(NodeResult.NOT_BACK))
                    .forEach(r -> late.put(r.identity(), NodeProgress.late(r)));
            rows.addAll(batch.rows());
            failures += (int) batch.rows().stream().filter(r -> r.failed() || r.missing()).count();
            previousBack = result.lastBackMs();
            if (result.outcome().equals("interrupted")) {
                stopReason = RunReport.STOP_INTERRUPTED;
                next++;
                break;
            }
        }
        if (stopReason == null && next < batches.size()) {
            stopReason = RunReport.STOP_INTERRUPTED;
        }
        String why = switch (stopReason == null ? "" : stopReason) {
            case RunReport.STOP_MAX_FAILURES -> "not started: the run stopped after " + failures
                    + " failed node(s) (--max-failures " + batching.maxFailures() + ")";
            case RunReport.STOP_BROKER_LOST -> "not started: the broker was lost";
            default -> "not started: the run was interrupted";
        };
        for (int b = next; b < batches.size(); b++) {
            for (String node : batches.get(b)) {
                NodeResult row = new NodeResult(node, NodeResult.NOT_STARTED, why, List.of(), NoData.INSTANCE, -1);
                rows.add(row);
                listener.node(row);
            }
        }
        // Rows of nodes that came back after their batch gave up on them carry that news.
        List<NodeResult> all = rows.stream()
                .map(r -> late.containsKey(r.identity()) ? late.get(r.identity()).row() : r).toList();
        return new Result(all, done, ids, stopReason, warnings);
    }

    /** {@code targets} cut into batches of {@code batch} (all in one when null), in order. */
    static List<List<String>> split(io.orch.cli.options.Amount batch, List<String> targets) {
        int size = batch == null ? Math.max(1, targets.size()) : batch.of(targets.size());
        List<List<String>> batches = new ArrayList<>();
        for (int i = 0; i < targets.size(); i += size) {
            batches.add(List.copyOf(targets.subList(i, Math.min(targets.size(), i + size))));
        }
        return batches;
    }

    private long sinceStart(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos - runStart);
    }

    /** One batch: its request, and where each of its nodes stands. */
    private final class Batch {
        final int number;
        final int of;
        final List<String> targets;
        final Request request;
        final NodeProgress.Rules rules;
        final Map<String, NodeProgress> nodes = new LinkedHashMap<>();
        /** Nodes in the order they got a row (replies as they came, then the silent): the order they are told. */
        final List<String> placed = new ArrayList<>();
        long published;

        Batch(int number, int of, List<String> targets) {
            this.number = number;
            this.of = of;
            this.targets = targets;
            this.request = requests.create(settings.action(), settings.params(), batching.replyTimeout(), true);
            this.rules = new NodeProgress.Rules(number, request.id(), settings.action().wireName(),
                    settings.action() == Action.REBOOT && !settings.noop(), batching.waitForBack(),
                    batching.requireClear(), batching.waitTimeout() == null ? null
                            : "--wait-timeout " + TimeText.seconds(batching.waitTimeout().toMillis() / 1000.0));
            targets.forEach(node -> nodes.put(node, NodeProgress.sent(node)));
        }

        /** The rows of its nodes that have one, in the order they got it. */
        List<NodeResult> rows() {
            return placed.stream().map(node -> nodes.get(node).row()).toList();
        }

        /** The nodes still on their way back, in the order they got a row. */
        List<String> awaited() {
            return placed.stream().filter(node -> nodes.get(node).awaited()).toList();
        }

        /** @return the batch's result, or null when the run was stopped before its request went out */
        BatchResult run(long previousBack) throws InterruptedException, BrokerUnreachableException {
            published = clock.nanoTime();
            long started = sinceStart(published);
            if (stopped()) {
                return null;
            }
            listener.batchStarted(number, of, request.id(), targets);
            Collected answered = bus.direct(request, targets, batching.replyTimeout());
            if (!answered.sent()) {
                return null;
            }
            answered.unreadable().forEach(why -> warnings.add("batch " + number + ": " + why));
            recordReplies(answered);
            targets.forEach(node -> give(node, new DeadlinePassed()));
            long replied = sinceStart(clock.nanoTime());
            if (answered.stopped()) {
                return result(started, replied, -1, previousBack, "interrupted");
            }
            if (!batching.waitForBack()) {
                return result(started, replied, -1, previousBack, "done");
            }
            return waitForNodes(started, replied, previousBack);
        }

        private void recordReplies(Collected answered) {
            for (NodeReply reply : answered.replies().values()) {
                give(reply.node(), new ReplyReceived(reply, answered.duplicates().contains(reply.node())));
            }
        }

        /** The broker went away during this batch: who may have got the request, and who is still on the way. */
        BatchResult brokerLost(Collected partial) {
            if (partial != null) {
                recordReplies(partial);
            }
            targets.forEach(node -> give(node, new BrokerLost()));
            long now = sinceStart(clock.nanoTime());
            return new BatchResult(number, request.id(), targets, sinceStart(published), now, -1, now, -1,
                    RunReport.STOP_BROKER_LOST);
        }

        private BatchResult waitForNodes(long started, long replied, long previousBack)
                throws InterruptedException, BrokerUnreachableException {
            long lastBack = -1;
            long deadline;
            long lastNews = clock.nanoTime();
            while (anyAwaited() && clock.nanoTime() < (deadline = deadline())) {
                long probeAt = lastNews + EARLY_PROBE_QUIET.toNanos();
                EventFeed.Polled polled = events.poll(Math.min(deadline, probeAt) - clock.nanoTime());
                if (polled == EventFeed.Poll.STOPPED) {
                    awaited().forEach(node -> give(node, new Interrupted()));
                    return result(started, replied, lastBack, previousBack, "interrupted");
                }
                if (!(polled instanceof EventFeed.Received received)) {
                    long now = clock.nanoTime();
                    if (now >= probeAt && now < deadline) {
                        lastBack = Math.max(lastBack, earlyProbe());
                        lastNews = clock.nanoTime();
                    }
                    continue; // the loop checks the deadline
                }
                NodeProgress news = nodes.get(received.event().node());
                if (news != null && news.awaited()) {
                    lastNews = received.nanos(); // only word of a node still awaited puts the probe off
                }
                String node = received.event().node();
                EventReceived input = new EventReceived(received.event(),
                        TimeUnit.NANOSECONDS.toMillis(received.nanos() - published), sinceStart(received.nanos()));
                NodeProgress before = nodes.get(node);
                if (before == null || !received.event().requestId().equals(request.id())) {
                    noteLate(node, input);
                    continue;
                }
                NodeProgress after = give(node, input);
                if (before.awaited() && after.stage() == NodeProgress.Stage.DONE
                        && (after.row().status().equals(NodeResult.REBOOTED)
                        || after.row().status().equals(NodeResult.STILL_PENDING))) {
                    lastBack = Math.max(lastBack, sinceStart(received.nanos()));
                }
            }
            if (anyAwaited()) {
                lastBack = Math.max(lastBack, probe());
                if (stopped()) {
                    return result(started, replied, lastBack, previousBack, "interrupted");
                }
            }
            boolean notBack = rows().stream().anyMatch(r -> r.status().equals(NodeResult.NOT_BACK));
            return result(started, replied, lastBack, previousBack, notBack ? "timed_out" : "done");
        }

        private boolean anyAwaited() {
            return !awaited().isEmpty();
        }

        /**
         * Until when the batch waits: --wait-timeout from its request, plus the most that the executor of
         * a node still awaited adds to --delay (so each node is given the time its reboot really takes).
         */
        private long deadline() {
            long extra = 0;
            for (String node : awaited()) {
                extra = Math.max(extra, executorExtra(nodes.get(node).row()).toNanos());
            }
            return published + batching.waitTimeout().toNanos() + extra;
        }

        /**
         * Asks the nodes still awaited for their boot id after a quiet spell, before the deadline: one whose
         * {@code rebooted} event went astray (a network bridge down while it was published) is found back now
         * rather than at the end of --wait-timeout. The others stay awaited, whatever they answered.
         *
         * @return run time of the last node found back, or -1
         */
        private long earlyProbe() throws InterruptedException, BrokerUnreachableException {
            return probe(true);
        }

        /**
         * Asks the nodes that were not seen back for their boot id (see {@link NodeInput.ProbeAnswered}).
         *
         * @return run time of the last node found back, or -1
         */
        private long probe() throws InterruptedException, BrokerUnreachableException {
            return probe(false);
        }

        /** A status probe of the awaited nodes; early, only a new boot id counts and silence changes nothing. */
        private long probe(boolean early) throws InterruptedException, BrokerUnreachableException {
            Duration timeout = batching.replyTimeout().compareTo(PROBE_TIMEOUT) < 0 ? batching.replyTimeout()
                    : PROBE_TIMEOUT;
            Request probe = requests.create(Action.STATUS, StatusParams.NONE, timeout, false);
            List<String> awaited = awaited();
            Collected answered = bus.direct(probe, awaited, timeout);
            long lastBack = -1;
            for (String node : awaited) {
                NodeReply reply = answered.replies().get(node);
                if (reply == null && (early || answered.stopped())) {
                    if (!early) {
                        give(node, new Interrupted());
                    }
                    continue;
                }
                long now = clock.nanoTime();
                long sinceBatch = TimeUnit.NANOSECONDS.toMillis(now - published);
                NodeProgress after = give(node, early ? new NodeInput.EarlyProbeAnswered(reply.reply(), sinceBatch)
                        : new ProbeAnswered(reply == null ? null : reply.reply(), sinceBatch));
                if (after.stage() == NodeProgress.Stage.DONE) {
                    lastBack = sinceStart(now);
                }
            }
            return lastBack;
        }

        /** Hands {@code input} to {@code node}'s progress; tells the listener when its row changed. */
        private NodeProgress give(String node, NodeInput input) {
            NodeProgress before = nodes.get(node);
            NodeProgress after = before.on(input, rules);
            if (after != before) {
                if (before.row() == null) {
                    placed.add(node);
                }
                nodes.put(node, after);
                listener.node(after.row());
            }
            return after;
        }

        private BatchResult result(long started, long replied, long lastBack, long previousBack, String outcome) {
            return new BatchResult(number, request.id(), targets, started, replied, lastBack,
                    sinceStart(clock.nanoTime()), previousBack < 0 ? -1 : started - previousBack, outcome);
        }
    }

    /**
     * How much later than the requested delay {@code row}'s node goes down: what it reported
     * ({@code effective_delay_s} less {@code delay_s}), or for a node that did not say, the most
     * {@code shutdown -r +N} adds (up to the next whole minute). Never below zero, and at most
     * {@link Limits#MAX_CLI_EXTRA_WAIT_SECONDS}.
     */
    static Duration executorExtra(NodeResult row) {
        if (!(row.data() instanceof RebootData reboot) || reboot.resource() == null) {
            return Duration.ZERO;
        }
        RebootReport resource = reboot.resource();
        long requested = resource.delaySeconds();
        long effective = resource.effectiveDelaySeconds() != null ? resource.effectiveDelaySeconds()
                : (requested + 59) / 60 * 60;
        return Duration.ofSeconds(Math.max(0, Math.min(effective - requested, Limits.MAX_CLI_EXTRA_WAIT_SECONDS)));
    }

    /** An event for a node an earlier batch gave up on: it may have come back after all. */
    private void noteLate(String node, EventReceived input) {
        NodeProgress before = late.get(node);
        if (before == null) {
            return;
        }
        NodeProgress after = before.on(input, null);
        if (after != before) {
            late.put(node, after);
            listener.node(after.row());
        }
    }
}
