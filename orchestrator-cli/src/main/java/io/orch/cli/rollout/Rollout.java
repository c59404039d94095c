package io.orch.cli.rollout;

import io.orch.cli.client.BrokerUnreachableException;
import io.orch.cli.client.Collected;
import io.orch.cli.client.EventFeed;
import io.orch.cli.client.NodeReply;
import io.orch.cli.client.OrchClient;
import io.orch.cli.output.BatchResult;
import io.orch.cli.output.NodeResult;
import io.orch.cli.output.RunListener;
import io.orch.cli.output.RunReport;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.Request;
import jakarta.jms.JMSException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Sends an action to the target nodes batch by batch. A batch is one request to exactly its
 * nodes; with {@code wait}, the batch is done when each node that scheduled a reboot has
 * published {@code rebooted} with a new boot id (or failed, or ran out of time), and the next
 * batch starts only then. Before each batch the failure count is checked against
 * {@code maxFailures}, and a stop (Ctrl-C) ends the run at once with what it knows.
 */
public final class Rollout {
    /** Builds the request of each batch: a fresh id and creation time, so a late batch is never stale. */
    public interface Requests {
        /**
         * @param filtered with the run's filter; false for a probe sent by name, which must be answered
         *                 even by a node that no longer matches (it rebooted: {@code reboot_pending} changed)
         */
        Request create(Action action, Map<String, Object> params, Duration ttl, boolean filtered);
    }

    /**
     * @param batch        nodes per batch, or null for all at once
     * @param batchSleep   pause between batches
     * @param waitForBack  wait for each batch's nodes to come back before the next
     * @param waitTimeout  how long a batch may take to come back
     * @param requireClear a node that is back but still pending counts as failed
     * @param maxFailures  stop before the next batch once this many nodes failed, or null for never
     * @param replyTimeout how long the nodes of a batch have to reply
     */
    public record Settings(Action action, Map<String, Object> params, io.orch.cli.options.Amount batch,
                           Duration batchSleep, boolean waitForBack, Duration waitTimeout, boolean requireClear,
                           io.orch.cli.options.Amount maxFailures, Duration replyTimeout) {
        public Settings {
            Objects.requireNonNull(action, "action == null");
            params = Map.copyOf(params);
            batchSleep = batchSleep == null ? Duration.ZERO : batchSleep;
            Objects.requireNonNull(replyTimeout, "replyTimeout == null");
            if (waitForBack) {
                Objects.requireNonNull(waitTimeout, "waitTimeout == null");
            }
        }
    }

    /** What became of every target, batch by batch, and why the run ended early (or null). */
    public record Result(List<NodeResult> nodes, List<BatchResult> batches, List<String> requestIds,
                         String stopReason, int failures, List<String> warnings) {
    }

    /** Passing state while a node goes down; never in a final report (there it is still {@code scheduled}). */
    public static final String STATUS_REBOOTING = "rebooting";

    /** A status probe should not hold the run up for long: a node that is back answers within seconds. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private final OrchClient client;
    private final EventFeed events;
    private final Settings settings;
    private final Requests requests;
    private final RunListener listener;
    private final long runStart;
    private final CountDownLatch stop = new CountDownLatch(1);
    /** Nodes of earlier batches that were not back in time, by identity: a late return is still news. */
    private final Map<String, NodeResult> late = new LinkedHashMap<>();

    /**
     * @param events   the collective's events, subscribed before the first batch is sent (needed with wait)
     * @param runStart {@link System#nanoTime()} at the start of the run, the zero of every reported time
     */
    public Rollout(OrchClient client, EventFeed events, Settings settings, Requests requests, RunListener listener,
                   long runStart) {
        this.client = client;
        this.events = events;
        this.settings = settings;
        this.requests = requests;
        this.listener = listener;
        this.runStart = runStart;
        if (settings.waitForBack() && events == null) {
            throw new IllegalArgumentException("waiting for nodes to come back needs the event feed");
        }
    }

    /** Ends the run as soon as possible: no new batch, no more waiting. Safe from any thread. */
    public void stop() {
        stop.countDown();
        client.stop();
    }

    private boolean stopped() {
        return stop.getCount() == 0 || client.stopped();
    }

    public Result run(List<String> targets) throws JMSException, InterruptedException, BrokerUnreachableException {
        List<List<String>> batches = split(targets);
        List<NodeResult> rows = new ArrayList<>();
        List<BatchResult> done = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        int allowed = settings.maxFailures() == null ? Integer.MAX_VALUE : settings.maxFailures().of(targets.size());
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
            if (next > 0 && !settings.batchSleep().isZero()) {
                listener.sleeping(settings.batchSleep().toMillis());
                if (stop.await(settings.batchSleep().toMillis(), TimeUnit.MILLISECONDS)) {
                    stopReason = RunReport.STOP_INTERRUPTED;
                    break;
                }
            }
            Batch batch = new Batch(next + 1, batches.size(), batches.get(next));
            BatchResult result;
            try {
                result = batch.run(previousBack, warnings);
            } catch (BrokerUnreachableException | JMSException e) {
                // Keep what is known: the nodes of earlier batches and this one's replies so far.
                warnings.add(e.getMessage());
                Collected partial = e instanceof BrokerUnreachableException lost ? lost.partial() : null;
                boolean ours = partial != null && partial.requestId().equals(batch.request.id());
                if (ours && !partial.sent()) {
                    stopReason = stopped() ? RunReport.STOP_INTERRUPTED : RunReport.STOP_BROKER_LOST;
                    break; // nobody got this batch's request: its nodes are not started
                }
                ids.add(batch.request.id());
                result = batch.brokerLost(ours ? partial : null);
                done.add(result);
                listener.batchDone(result);
                rows.addAll(batch.rows.values());
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
            batch.rows.values().stream().filter(r -> r.status().equals(NodeResult.NOT_BACK))
                    .forEach(r -> late.put(r.identity(), r));
            rows.addAll(batch.rows.values());
            failures += (int) batch.rows.values().stream().filter(r -> r.failed() || r.missing()).count();
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
                    + " failed node(s) (--max-failures " + settings.maxFailures() + ")";
            case RunReport.STOP_BROKER_LOST -> "not started: the broker was lost";
            default -> "not started: the run was interrupted";
        };
        for (int b = next; b < batches.size(); b++) {
            for (String node : batches.get(b)) {
                NodeResult row = new NodeResult(node, NodeResult.NOT_STARTED, why, List.of(), Map.of(), -1);
                rows.add(row);
                listener.node(row);
            }
        }
        // Rows of nodes that came back after their batch gave up on them carry that news.
        List<NodeResult> all = rows.stream().map(r -> late.getOrDefault(r.identity(), r)).toList();
        return new Result(all, done, ids, stopReason, failures, warnings);
    }

    List<List<String>> split(List<String> targets) {
        int size = settings.batch() == null ? Math.max(1, targets.size()) : settings.batch().of(targets.size());
        List<List<String>> batches = new ArrayList<>();
        for (int i = 0; i < targets.size(); i += size) {
            batches.add(List.copyOf(targets.subList(i, Math.min(targets.size(), i + size))));
        }
        return batches;
    }

    private long sinceStart(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos - runStart);
    }

    /** One batch: its request, and each node's row as it changes. */
    private final class Batch {
        final int number;
        final int of;
        final List<String> nodes;
        final Request request;
        final Map<String, NodeResult> rows = new LinkedHashMap<>();
        long published;

        Batch(int number, int of, List<String> nodes) {
            this.number = number;
            this.of = of;
            this.nodes = nodes;
            this.request = requests.create(settings.action(), settings.params(), settings.replyTimeout(), true);
        }

        /** @return the batch's result, or null when the run was stopped before its request went out */
        BatchResult run(long previousBack, List<String> warnings)
                throws JMSException, InterruptedException, BrokerUnreachableException {
            published = System.nanoTime();
            long started = sinceStart(published);
            if (stopped()) {
                return null;
            }
            listener.batchStarted(number, of, request.id(), nodes);
            Collected answered = client.direct(request, nodes, settings.replyTimeout());
            if (!answered.sent()) {
                return null;
            }
            answered.unreadable().forEach(why -> warnings.add("batch " + number + ": " + why));
            recordReplies(answered);
            for (String node : nodes) {
                if (!rows.containsKey(node)) {
                    NodeResult silent = NodeResult.noResponse(node, "matched, then did not answer "
                            + settings.action().wireName());
                    if (settings.action() == Action.REBOOT && !Boolean.TRUE.equals(settings.params().get("noop"))) {
                        // Its reply may have been on its way when the queue went: then it reboots all the same.
                        silent = silent.withStatus(NodeResult.NO_RESPONSE, silent.message() + "; it may still "
                                + "reboot if its reply was on the way (check with orch status)").stillMayReboot();
                    }
                    update(silent);
                }
            }
            long replied = sinceStart(System.nanoTime());
            if (answered.stopped()) {
                return result(started, replied, -1, previousBack, "interrupted");
            }
            if (!settings.waitForBack()) {
                return result(started, replied, -1, previousBack, "done");
            }
            return waitForNodes(started, replied, previousBack);
        }

        private void recordReplies(Collected answered) {
            for (NodeReply reply : answered.replies().values()) {
                NodeResult row = Rows.fromReply(reply).withTiming("reply", reply.after().toMillis());
                if (answered.duplicates().contains(reply.node())) {
                    // Each responder acts on its own reply: this is a warning about the node, not a refusal.
                    row = row.withStatus("failed", "more than one responder answered as this identity (one said "
                            + row.status() + "); each acts on its own reply: check with orch status");
                    if (reply.reply().status().wireName().equals("scheduled")) {
                        row = row.stillMayReboot();
                    }
                }
                update(row);
            }
        }

        /** The broker went away during this batch: who may have got the request, and who is still on the way. */
        BatchResult brokerLost(Collected partial) {
            if (partial != null) {
                recordReplies(partial);
            }
            for (String node : nodes) {
                NodeResult row = rows.get(node);
                if (row == null) {
                    update(NodeResult.noResponse(node, "the broker was lost during this batch; it may have received "
                            + "the request and may reboot (check with orch status)").stillMayReboot());
                } else if (row.status().equals(STATUS_REBOOTING)) {
                    update(row.withStatus("scheduled", "rebooting when the broker was lost"));
                }
            }
            long now = sinceStart(System.nanoTime());
            return new BatchResult(number, request.id(), nodes, sinceStart(published), now, -1, now, -1,
                    RunReport.STOP_BROKER_LOST);
        }

        private BatchResult waitForNodes(long started, long replied, long previousBack)
                throws InterruptedException, BrokerUnreachableException, JMSException {
            Map<String, NodeResult> waiting = new LinkedHashMap<>();
            rows.values().stream().filter(r -> r.status().equals("scheduled")).forEach(r -> waiting.put(r.identity(), r));
            long deadline = published + settings.waitTimeout().toNanos();
            long lastBack = -1;
            while (!waiting.isEmpty() && System.nanoTime() < deadline) {
                Object polled = events.poll(deadline - System.nanoTime());
                if (polled == EventFeed.Poll.STOPPED) {
                    waiting.values().forEach(r -> update(r.withStatus("scheduled", "reboot scheduled; not back yet "
                            + "when the run was interrupted")));
                    return result(started, replied, lastBack, previousBack, "interrupted");
                }
                if (polled == EventFeed.Poll.TIMEOUT) {
                    if (System.nanoTime() >= deadline) {
                        break;
                    }
                    continue;
                }
                EventFeed.Received received = (EventFeed.Received) polled;
                Event event = received.event();
                NodeResult row = waiting.get(event.node());
                if (row == null && event.requestId().equals(request.id()) && rows.get(event.node()) != null
                        && rows.get(event.node()).mayStillReboot()) {
                    // Its reply never reached us, but its reboot did happen: report what it does.
                    NodeResult now = onEvent(rows.get(event.node()), event,
                            TimeUnit.NANOSECONDS.toMillis(received.nanos() - published));
                    if (now != null) {
                        update(now.status().equals(STATUS_REBOOTING) ? now.withStatus("scheduled",
                                "its reply was lost, but it is rebooting") : now);
                    }
                    continue;
                }
                if (row == null || !event.requestId().equals(request.id())) {
                    noteLate(event, received.nanos());
                    continue;
                }
                long at = TimeUnit.NANOSECONDS.toMillis(received.nanos() - published);
                NodeResult now = onEvent(row, event, at);
                if (now == null) {
                    continue;
                }
                update(now);
                if (now.status().equals(STATUS_REBOOTING)) {
                    waiting.put(now.identity(), now); // still on its way
                } else {
                    waiting.remove(now.identity());
                    if (now.status().equals(NodeResult.REBOOTED) || now.status().equals(NodeResult.STILL_PENDING)) {
                        lastBack = Math.max(lastBack, sinceStart(received.nanos()));
                    }
                }
            }
            if (!waiting.isEmpty()) {
                lastBack = Math.max(lastBack, probe(waiting));
                if (stopped()) {
                    return result(started, replied, lastBack, previousBack, "interrupted");
                }
            }
            boolean late = rows.values().stream().anyMatch(r -> r.status().equals(NodeResult.NOT_BACK));
            return result(started, replied, lastBack, previousBack, late ? "timed_out" : "done");
        }

        /** The row after {@code event}, or null when the event changes nothing. */
        private NodeResult onEvent(NodeResult row, Event event, long atMs) {
            Map<String, Object> data = event.data();
            return switch (event.type()) {
                case REBOOTING -> row.withTiming("rebooting", atMs).withStatus(STATUS_REBOOTING, "rebooting");
                case REBOOTED -> {
                    String before = String.valueOf(row.data().get("boot_id"));
                    String after = data.get("new_boot_id") != null ? String.valueOf(data.get("new_boot_id"))
                            : event.bootId();
                    if (after.equals(before)) {
                        yield null; // not a new boot: not back from this reboot
                    }
                    NodeResult back = row.withTiming("back", atMs);
                    // A clock set back at boot gives a negative downtime: better none than a wrong one.
                    if (data.get("downtime_s") instanceof Number down && down.doubleValue() >= 0) {
                        back = back.withTiming("downtime", Math.round(down.doubleValue() * 1000));
                    }
                    yield back(back, Boolean.TRUE.equals(data.get("pending")), Rows.reasons(data),
                            "back after " + (data.get("downtime_s") instanceof Number d ? seconds(d) + " down" : "its reboot"));
                }
                case REBOOT_FAILED -> row.withStatus(NodeResult.REBOOT_FAILED, "did not reboot: "
                        + text(data.get("error"), data.get("message"), "the node gave no reason"));
                case REBOOT_INTERRUPTED -> row.withStatus(NodeResult.REBOOT_INTERRUPTED, "the responder restarted "
                        + "without a reboot (same boot id); orch does not retry it");
                case CANCELLED -> row.withStatus("cancelled", "cancelled during its delay (orch cancel)");
                default -> null;
            };
        }

        private NodeResult back(NodeResult row, boolean pending, List<String> reasons, String how) {
            if (pending && settings.requireClear()) {
                return row.withStatus(NodeResult.STILL_PENDING, how + ", but a reboot is still pending ("
                        + String.join(", ", reasons) + ") and --require-clear is set");
            }
            return row.withStatus(NodeResult.REBOOTED, how + (pending ? "; still pending: " + String.join(", ", reasons)
                    : "; nothing pending"));
        }

        /**
         * Asks the nodes that were not seen back for their boot id: a node whose {@code rebooted}
         * event went astray still counts as back, and one that is up on its old boot id is told
         * apart from one that is silent.
         *
         * @return run time of the last node found back, or -1
         */
        private long probe(Map<String, NodeResult> waiting)
                throws JMSException, InterruptedException, BrokerUnreachableException {
            Duration timeout = settings.replyTimeout().compareTo(PROBE_TIMEOUT) < 0 ? settings.replyTimeout()
                    : PROBE_TIMEOUT;
            Request probe = requests.create(Action.STATUS, Map.of(), timeout, false);
            Collected answered = client.direct(probe, waiting.keySet(), timeout);
            long lastBack = -1;
            String limit = "--wait-timeout " + seconds(settings.waitTimeout().toMillis() / 1000.0);
            for (NodeResult row : waiting.values()) {
                NodeReply reply = answered.replies().get(row.identity());
                if (reply == null) {
                    if (answered.stopped()) {
                        update(row.withStatus("scheduled", "reboot scheduled; not back yet when the run was "
                                + "interrupted"));
                        continue;
                    }
                    boolean wentDown = row.timingsMs().containsKey("rebooting");
                    NodeResult notBack = row.withStatus(NodeResult.NOT_BACK, "not back within " + limit
                            + (wentDown ? " (went down, no answer since)"
                                    : " (no answer; its reboot may still happen)"));
                    update(wentDown ? notBack : notBack.stillMayReboot());
                    continue;
                }
                Map<String, Object> data = reply.reply().data();
                Object bootId = data.get("boot_id");
                String before = String.valueOf(row.data().get("boot_id"));
                if (bootId == null) {
                    NodeResult unknown = row.withStatus(NodeResult.NOT_BACK, "not back within " + limit
                            + "; it answered " + reply.reply().status().wireName() + ": " + reply.reply().message()
                            + "; boot id unknown");
                    update(row.timingsMs().containsKey("rebooting") ? unknown : unknown.stillMayReboot());
                } else if (!String.valueOf(bootId).equals(before)) {
                    long at = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - published);
                    update(back(row.withTiming("back", at), Boolean.TRUE.equals(data.get("pending")),
                            Rows.reasons(data), "back with a new boot id (its rebooted event was not seen)"));
                    lastBack = sinceStart(System.nanoTime());
                } else if (request.id().equals(data.get("reboot_underway"))) {
                    // Still in its delay or shutting down: it will go down, maybe while the next batch does.
                    update(row.withStatus(NodeResult.NOT_BACK, "not back within " + limit + ": its reboot is still "
                            + "under way and will still happen").stillMayReboot());
                } else {
                    update(row.withStatus(NodeResult.NOT_BACK, "not back within " + limit
                            + ": still up on the same boot id, the reboot has not happened"));
                }
            }
            return lastBack;
        }

        private void update(NodeResult row) {
            NodeResult placed = row.inBatch(number, request.id());
            rows.put(placed.identity(), placed);
            listener.node(placed);
        }

        private BatchResult result(long started, long replied, long lastBack, long previousBack, String outcome) {
            return new BatchResult(number, request.id(), nodes, started, replied, lastBack,
                    sinceStart(System.nanoTime()), previousBack < 0 ? -1 : started - previousBack, outcome);
        }
    }

    /**
     * A node an earlier batch gave up on came back after all. It stays {@code not_back} (it missed
     * its time, and the run went on without it), but the report says when it returned.
     */
    private void noteLate(Event event, long nanos) {
        NodeResult row = late.get(event.node());
        if (row == null || event.type() != io.orch.protocol.envelope.EventType.REBOOTED
                || !event.requestId().equals(row.requestId())) {
            return;
        }
        NodeResult updated = row.withStatus(NodeResult.NOT_BACK, row.message() + "; came back later, "
                + seconds(TimeUnit.NANOSECONDS.toMillis(nanos - runStart) / 1000.0) + " into the run");
        late.put(event.node(), updated);
        listener.node(updated);
    }

    private static String seconds(Number s) {
        double v = s.doubleValue();
        return v == Math.rint(v) ? (long) v + "s" : String.format(java.util.Locale.ROOT, "%.1fs", v);
    }

    private static String text(Object... candidates) {
        for (Object c : candidates) {
            if (c != null && !String.valueOf(c).isBlank()) {
                return String.valueOf(c);
            }
        }
        return "";
    }
}
