package io.orch.cli.run;

import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.EventType;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.payload.EventData;
import io.orch.protocol.payload.LoopGuardState;
import io.orch.protocol.payload.NoData;
import io.orch.protocol.payload.PingData;
import io.orch.protocol.payload.Reason;
import io.orch.protocol.payload.RebootData;
import io.orch.protocol.payload.RebootFailedData;
import io.orch.protocol.payload.RebootedData;
import io.orch.protocol.payload.RebootingData;
import io.orch.protocol.payload.ReplyData;
import io.orch.protocol.payload.StatusData;
import io.orch.protocol.schema.MessageSchemas;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;

/**
 * A bus in memory with scripted nodes: who matches, what each answers to a reboot and when, the
 * events that follow, what a status probe finds, and when Ctrl-C comes or the broker goes. Time is
 * a {@link FakeClock} that this bus moves; nothing sleeps, no thread, no broker. Every request the run
 * sends and every reply and event this bus makes up is checked against its JSON Schema, as a broker
 * with {@code SchemaCheckingBrokerPlugin} would: the run speaks the protocol, and so do the fakes.
 */
final class FakeBus implements Bus {
    /** One scripted node; times are milliseconds from the reboot request that reached it. */
    static final class Node {
        final String identity;
        boolean matched = true;
        boolean answersDiscovery = true;
        /** What it answers to discovery (and to a ping). */
        ReplyStatus discoveryAnswer = ReplyStatus.OK;
        boolean duplicate;
        boolean duplicateToReboot;
        ReplyStatus answer = ReplyStatus.SCHEDULED;
        long replyMs = 50;
        long downMs = 1_000;
        /** -1: never comes back. */
        long backMs = 4_000;
        double downtimeS = 3.0;
        boolean pendingAfter;
        /** Publishes reboot_failed instead of going down, at this time; -1 for never. */
        long failsMs = -1;
        /** Answers the status probe. */
        boolean answersProbe = true;
        String bootId;
        String newBootId;
        /** The reboot resource its scheduled reply carries (delay_s, effective_delay_s), or null for none. */
        io.orch.protocol.payload.RebootReport resource;

        Node(String identity) {
            this.identity = identity;
            this.bootId = "boot-" + identity + "-1";
            this.newBootId = "boot-" + identity + "-2";
        }

        /** Its reply says the executor waits {@code effectiveS} (null: says nothing) for {@code delayS} asked. */
        Node reportsDelay(long delayS, Long effectiveS) {
            resource = new io.orch.protocol.payload.RebootReport(io.orch.protocol.payload.RebootParams.When.PENDING,
                    false, delayS, "m", true, List.of("kernel_update"), List.of(), List.of(),
                    io.orch.protocol.payload.RebootReport.Outcome.SCHEDULED, "shutdown -r +2 m", effectiveS);
            return this;
        }

        Node answers(ReplyStatus status) {
            answer = status;
            return this;
        }

        Node repliesAfter(long ms) {
            replyMs = ms;
            return this;
        }

        Node downAfter(long ms) {
            downMs = ms;
            return this;
        }

        Node backAfter(long ms) {
            backMs = ms;
            return this;
        }

        Node neverBack() {
            backMs = -1;
            return this;
        }

        Node failsAfter(long ms) {
            failsMs = ms;
            return this;
        }

        Node stillPendingAfterBoot() {
            pendingAfter = true;
            return this;
        }

        Node twoResponders() {
            duplicate = true;
            return this;
        }

        Node twoRespondersToReboot() {
            duplicateToReboot = true;
            return this;
        }

        Node silentToProbes() {
            answersProbe = false;
            return this;
        }

        Node notMatching() {
            matched = false;
            return this;
        }
    }

    private record Timed(long at, long seq, Event event, Runnable action) {
    }

    private static final Codec CODEC = new Codec();
    private static final List<Reason> KERNEL_UPDATE = List.of(new Reason("kernel_update", "a newer kernel is installed",
            Map.of()));

    final FakeClock clock = new FakeClock();
    private final Map<String, Node> nodes = new TreeMap<>();
    private final PriorityQueue<Timed> timeline = new PriorityQueue<>((a, b) -> a.at != b.at
            ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private final Map<String, Long> backAt = new HashMap<>();
    private final Map<Integer, Runnable> duringBatch = new HashMap<>();
    private final Map<Integer, Long> lostDuringBatch = new HashMap<>();
    /** Every request sent, with the clock when it went out. */
    final List<Request> sent = new ArrayList<>();
    /** By request id: the nodes a discovery was sent to on their own topics; empty for a broadcast. */
    final Map<String, Set<String>> addressed = new LinkedHashMap<>();
    final Map<String, Long> sentAt = new LinkedHashMap<>();
    private final Set<String> eventsLost = new java.util.HashSet<>();
    private long seq;
    private int rebootRequests;
    private boolean stopped;
    private boolean lost;
    private Boolean lostDuringDiscovery;
    boolean closed;
    /** What the broker holds on the registry, unchecked; a node's entry whose check fails is in {@link #forged}. */
    final List<io.orch.cli.inventory.KnownNode> announced = new ArrayList<>();
    final Set<String> forged = new java.util.HashSet<>();
    /** Why the registry's marker did not come back, or null when it did. */
    String registryNote;
    /** The announcements the run checked, in order. */
    final List<String> verified = new ArrayList<>();
    private final List<Unverified> unverified = new ArrayList<>();

    /** {@code identity} announced {@code state} {@code agoS} seconds before the run's clock. */
    FakeBus announce(String identity, io.orch.cli.inventory.NodeState state, long agoS) {
        announced.add(new io.orch.cli.inventory.KnownNode(identity, state, clock.now().minusSeconds(agoS), "0.1.0",
                "boot-" + identity + "-1", clock.now().minusSeconds(86_400), 60));
        return this;
    }

    /** How often the run read the registry. */
    int registryReads;

    @Override
    public Registry registry(Duration wait) {
        registryReads++;
        List<io.orch.cli.inventory.Announced> all = new ArrayList<>();
        for (io.orch.cli.inventory.KnownNode node : announced) {
            all.add(new io.orch.cli.inventory.Announced() {
                @Override
                public io.orch.cli.inventory.KnownNode node() {
                    return node;
                }

                @Override
                public String verify() {
                    verified.add(node.identity());
                    if (forged.contains(node.identity())) {
                        unverified.add(new Unverified("announcement", node.identity(), "bad signature"));
                        return "bad signature";
                    }
                    return null;
                }
            });
        }
        return new Registry(all, registryNote);
    }

    @Override
    public List<Unverified> unverified() {
        return List.copyOf(unverified);
    }

    Node node(String identity) {
        return nodes.computeIfAbsent(identity, Node::new);
    }

    /** Runs {@code action} (say, Ctrl-C) just after the reboot request of batch {@code batch} went out. */
    FakeBus duringBatch(int batch, Runnable action) {
        duringBatch.put(batch, action);
        return this;
    }

    /** The broker goes {@code afterMs} after the reboot request of batch {@code batch} went out. */
    FakeBus brokerLostDuringBatch(int batch, long afterMs) {
        lostDuringBatch.put(batch, afterMs);
        return this;
    }

    /**
     * The broker goes while discovery collects, after every node answered; with {@code stoppedFirst} the
     * operator's stop reached the bus first, though not (yet) discovery's result: the loss is what ends it.
     */
    FakeBus brokerLostDuringDiscovery(boolean stoppedFirst) {
        lostDuringDiscovery = stoppedFirst;
        return this;
    }

    /** Runs {@code action} at {@code ms} of the run's clock (which starts at 1000), while the run waits for events. */
    FakeBus at(long ms, Runnable action) {
        timeline.add(new Timed(FakeClock.ms(ms), seq++, null, action));
        return this;
    }

    /** The broker goes at {@code ms} of the run's clock, while the run waits for events. */
    FakeBus brokerLostAt(long ms) {
        return at(ms, () -> lost = true);
    }

    /** The events of {@code identity} go astray: none reaches the run. */
    FakeBus dropEvents(String identity) {
        eventsLost.add(identity);
        return this;
    }

    List<Request> sent(Action action) {
        return sent.stream().filter(r -> r.action() == action).toList();
    }

    @Override
    public Collected discover(Request request, Discovery discovery) throws BrokerUnreachableException {
        long published = publish(request);
        addressed.put(request.id(), discovery.addressed());
        Map<String, NodeReply> replies = new LinkedHashMap<>();
        Set<String> duplicates = new LinkedHashSet<>();
        long t = 10;
        for (Node node : nodes.values()) {
            if (!node.answersDiscovery
                    || (!discovery.addressed().isEmpty() && !discovery.addressed().contains(node.identity))) {
                continue;
            }
            Reply reply = reply(request, node, node.discoveryAnswer, node.matched,
                    node.discoveryAnswer != ReplyStatus.OK ? "refused by this node's policy"
                    : node.matched ? "matched" : "not matched",
                    request.action() == Action.PING ? new PingData(node.bootId, 60) : NoData.INSTANCE);
            replies.put(node.identity, new NodeReply(reply, Duration.ofMillis(t)));
            if (node.duplicate) {
                duplicates.add(node.identity);
            }
            t += 10;
        }
        Set<String> missing = new LinkedHashSet<>(discovery.inventory());
        missing.removeAll(replies.keySet());
        // With an inventory, collecting ends at its last node's answer, or at the timeout when one stays silent.
        long elapsed = discovery.complete(missing.isEmpty()) ? FakeClock.ms(t - 10)
                : discovery.deadlineNanos(0, FakeClock.ms(t - 10), !replies.isEmpty(), missing.isEmpty());
        clock.advanceTo(published + elapsed);
        if (lostDuringDiscovery != null) {
            stopped |= lostDuringDiscovery;
            lost = true;
            // As OrchClient says it: the result was gathered before the stop signal was taken, so not stopped.
            throw new BrokerUnreachableException("lost the broker during discovery of request " + request.id()
                    + "; some nodes may have received it (check with orch status)", new Collected(request.id(),
                    replies, missing, duplicates, List.of(), Duration.ofNanos(elapsed),
                    Duration.ofMillis(replies.isEmpty() ? 0 : t - 10), false, true));
        }
        return new Collected(request.id(), replies, missing, duplicates, List.of(), Duration.ofNanos(elapsed),
                Duration.ofMillis(replies.isEmpty() ? 0 : t - 10), stopped, true);
    }

    @Override
    public Collected direct(Request request, Collection<String> targets, Duration timeout)
            throws BrokerUnreachableException {
        if (stopped) {
            return new Collected(request.id(), Map.of(), new LinkedHashSet<>(targets), Set.of(), List.of(),
                    Duration.ZERO, Duration.ZERO, true, false);
        }
        if (lost) {
            throw lost(request, targets, Map.of(), false);
        }
        boolean reboot = request.action() == Action.REBOOT;
        int batch = reboot ? ++rebootRequests : 0;
        Long lossAfter = lostDuringBatch.get(batch);
        if (lossAfter != null && lossAfter == 0) {
            lost = true;
            throw lost(request, targets, Map.of(), false);
        }
        long published = publish(request);
        Runnable during = duringBatch.get(batch);
        if (during != null) {
            during.run();
        }
        Map<String, NodeReply> replies = new LinkedHashMap<>();
        Set<String> duplicates = new LinkedHashSet<>();
        List<Node> asked = targets.stream().map(nodes::get).sorted((a, b) -> reboot
                ? Long.compare(a.replyMs, b.replyMs) : 0).toList();
        long last = 0;
        for (Node node : asked) {
            if (reboot) {
                act(request, node, published);
                if (node.replyMs > timeout.toMillis() || (lossAfter != null && node.replyMs >= lossAfter)) {
                    continue; // too late for the reply queue (or the broker): it never arrives
                }
                Reply reply = reply(request, node, node.answer, true, node.answer.label(),
                        new RebootData(node.answer == ReplyStatus.SCHEDULED ? node.resource : null,
                                node.resource == null ? List.of() : KERNEL_UPDATE, Map.of(), node.bootId));
                replies.put(node.identity, new NodeReply(reply, Duration.ofMillis(node.replyMs)));
                if (node.duplicateToReboot) {
                    duplicates.add(node.identity);
                }
                last = Math.max(last, node.replyMs);
            } else if (request.action() == Action.STATUS && node.answersProbe) {
                Long back = backAt.get(node.identity);
                boolean rebooted = back != null && back <= published;
                boolean pending = rebooted && node.pendingAfter;
                StatusData data = new StatusData(pending, pending ? KERNEL_UPDATE : List.of(), Map.of(),
                        rebooted ? node.newBootId : node.bootId, 60, Map.of(), null, null, LoopGuardState.CLEAR, null,
                        null);
                replies.put(node.identity, new NodeReply(reply(request, node, ReplyStatus.OK, true, "ok", data),
                        Duration.ofMillis(20)));
                last = 20;
            }
        }
        if (lossAfter != null) {
            lost = true;
            clock.advanceTo(published + FakeClock.ms(lossAfter));
            throw lost(request, targets, replies, true);
        }
        Set<String> missing = new LinkedHashSet<>(targets);
        missing.removeAll(replies.keySet());
        long took = missing.isEmpty() ? FakeClock.ms(last) : timeout.toNanos();
        clock.advanceTo(published + took);
        return new Collected(request.id(), replies, missing, duplicates, List.of(), Duration.ofNanos(took),
                Duration.ofMillis(last), stopped, true);
    }

    /** What the node does once it has the reboot request: its reply decides, whether or not it reaches the CLI. */
    private void act(Request request, Node node, long published) {
        if (node.answer != ReplyStatus.SCHEDULED) {
            return;
        }
        if (node.failsMs >= 0) {
            event(published + FakeClock.ms(node.failsMs), EventType.REBOOT_FAILED, node, request,
                    new RebootFailedData("puppet agent run still locked"));
            return;
        }
        event(published + FakeClock.ms(node.downMs), EventType.REBOOTING, node, request, new RebootingData(0, List.of()));
        if (node.backMs >= 0) {
            long at = published + FakeClock.ms(node.backMs);
            backAt.put(node.identity, at);
            event(at, EventType.REBOOTED, node, request, new RebootedData(node.bootId, node.newBootId,
                    Duration.ofMillis(Math.round(node.downtimeS * 1000)), clock.now(), node.pendingAfter,
                    node.pendingAfter ? KERNEL_UPDATE : List.of(), false));
        }
    }

    private void event(long at, EventType type, Node node, Request request, EventData data) {
        if (eventsLost.contains(node.identity)) {
            return;
        }
        Event event = new Event(type, node.identity, type == EventType.REBOOTED ? node.newBootId : node.bootId,
                request.id(), clock.now(), data);
        MessageSchemas.assertValid(CODEC.encode(event));
        timeline.add(new Timed(at, seq++, event, null));
    }

    private long publish(Request request) {
        MessageSchemas.assertValid(CODEC.encodeRequest(request));
        sent.add(request);
        sentAt.put(request.id(), clock.nanoTime());
        return clock.nanoTime();
    }

    private Reply reply(Request request, Node node, ReplyStatus status, boolean matched, String message,
                        ReplyData data) {
        Reply reply = new Reply(request.id(), node.identity, request.action().wireName(), matched, status, message,
                data, clock.now());
        MessageSchemas.assertValid(CODEC.encode(reply));
        return reply;
    }

    private BrokerUnreachableException lost(Request request, Collection<String> targets, Map<String, NodeReply> replies,
                                            boolean sent) {
        Set<String> missing = new LinkedHashSet<>(targets);
        missing.removeAll(replies.keySet());
        return new BrokerUnreachableException("lost the broker during reboot of request " + request.id()
                + "; some nodes may have received it (check with orch status)", new Collected(request.id(), replies,
                missing, Set.of(), List.of(), Duration.ZERO, Duration.ZERO, stopped, sent));
    }

    @Override
    public EventFeed events() {
        return new EventFeed() {
            @Override
            public Polled poll(long nanos) throws BrokerUnreachableException {
                long until = clock.nanoTime() + Math.max(0, nanos);
                while (true) {
                    if (stopped) {
                        return Poll.STOPPED;
                    }
                    if (lost) {
                        throw new BrokerUnreachableException("lost the broker while listening for node events; "
                                + "reboots already scheduled still happen (check with orch status)");
                    }
                    Timed next = timeline.peek();
                    if (next == null || next.at > until) {
                        clock.advanceTo(until);
                        return Poll.TIMEOUT;
                    }
                    timeline.poll();
                    clock.advanceTo(next.at);
                    if (next.event != null) {
                        return new Received(next.event, next.at);
                    }
                    next.action.run();
                }
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void stop() {
        stopped = true;
    }

    @Override
    public boolean stopped() {
        return stopped;
    }

    @Override
    public void close() {
        closed = true;
    }
}
