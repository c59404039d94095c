package io.orch.cli.client;

import io.orch.cli.UsageException;
import io.orch.cli.run.BrokerLostException;
import io.orch.cli.run.BrokerUnreachableException;
import io.orch.cli.run.Bus;
import io.orch.cli.run.Collected;
import io.orch.cli.run.Discovery;
import io.orch.cli.run.EventFeed;
import io.orch.cli.run.NodeReply;
import io.orch.protocol.Limits;
import io.orch.protocol.bus.BrokerUrl;
import io.orch.protocol.bus.Destinations;
import io.orch.protocol.bus.MessageBodies;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.InvalidMessageException;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.envelope.SecureEnvelope;
import io.orch.cli.run.Unverified;
import io.orch.cli.run.Registry;
import io.orch.cli.inventory.Announced;
import io.orch.cli.inventory.KnownNode;
import io.orch.cli.inventory.NodeState;
import io.orch.protocol.bus.RegistryBarrier;
import io.orch.protocol.envelope.Announcement;
import org.apache.activemq.ActiveMQConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link Bus} over JMS: one CLI session on the broker, a connection and the two ways of asking:
 * {@link #discover} (everyone or the named nodes, collect until done) and {@link #direct} (exactly these nodes, wait
 * for exactly them). Each request gets its own temporary reply queue, deleted when collecting ends,
 * so a node whose answer comes too late cannot deliver it and therefore does not act on it.
 */
public final class OrchClient implements Bus {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OrchClient.class);

    private final Destinations destinations;
    private final Codec codec;
    private final ClientSecurity security;
    /** The first {@link Limits#MAX_CLI_NOTES}; the rest are only counted in {@link #dropped}. */
    private final List<Unverified> unverified = java.util.Collections.synchronizedList(new ArrayList<>());
    /** Messages received but not kept: an inbox was full, or past the notes a report keeps. */
    private final AtomicLong dropped = new AtomicLong();
    private final Connection connection;
    private final Session session;
    private final MessageProducer producer;
    private final Set<Inbox> inboxes = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /**
     * Decode and check replies beside the JMS thread, which only hands them over: a signature check is most of
     * the CLI's work per answer, and one thread doing it for 10,000 answers was the end of a fan-out's tail.
     */
    private final java.util.concurrent.ExecutorService checkers = java.util.concurrent.Executors.newFixedThreadPool(
            Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), Limits.MAX_CLI_REPLY_CHECKERS)), r -> {
                Thread t = new Thread(r, "orch-reply-check");
                t.setDaemon(true);
                return t;
            });
    private volatile boolean stopped;
    /** {@link Limits#CLI_REPLY_CHECK_CHARS} in the KiB a reply channel counts by. */
    private static final int CHECK_KIB = Limits.CLI_REPLY_CHECK_CHARS / 1024;

    private OrchClient(Destinations destinations, Codec codec, ClientSecurity security, Connection connection)
            throws JMSException {
        this.destinations = destinations;
        this.codec = codec;
        this.security = security;
        this.connection = connection;
        this.session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        this.producer = session.createProducer(null);
        this.producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        connection.setExceptionListener(e -> inboxes.forEach(inbox -> inbox.signal(Inbound.Signal.BROKER_LOST)));
    }

    /**
     * Connects within {@code timeout} or gives up: a CLI must never hang on a dead broker,
     * whatever the URL's own reconnect settings say.
     *
     * @throws UsageException for a URL that is not a broker URL at all
     */
    public static OrchClient connect(String brokerUrl, Destinations destinations, Duration timeout,
                                     ClientSecurity security) throws BrokerUnreachableException {
        try (Connecting connecting = begin(brokerUrl, destinations, timeout, security.insecure())) {
            connecting.secure(security);
            return connecting.await();
        }
    }

    /**
     * Starts connecting on another thread and returns at once, so that the caller gets on with its own set-up
     * (reading the operator's key and certificates, its state, preparing the first request) during the TCP and
     * TLS handshakes. The handshake waits for the key material where it needs it: the caller hands it over with
     * {@link Connecting#secure} as soon as it is read. {@link Connecting#await} then gives the client, within
     * {@code timeout} of this call, or the reason there is none.
     *
     * @param insecure {@code security: insecure}: no TLS material will come, none is waited for
     * @throws UsageException for a URL that is not a broker URL at all
     */
    public static Connecting begin(String brokerUrl, Destinations destinations, Duration timeout,
                                   boolean insecure) {
        if (brokerUrl == null || brokerUrl.isBlank()) {
            throw new UsageException("--broker is empty (check ORCH_BROKER); e.g. tcp://broker:61616");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        // Bounded as the connection is: a handshake never waits past the connect timeout for material that
        // nobody hands over (a caller that forgot Connecting.close, say).
        CompletableFuture<io.orch.trust.TlsMaterial> tls = insecure ? null
                : new CompletableFuture<io.orch.trust.TlsMaterial>().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        ActiveMQConnectionFactory factory;
        try {
            factory = ClientSecurity.connectionFactory(bounded(brokerUrl.trim(), timeout),
                    tls == null ? null : new io.orch.trust.DeferredTls(tls));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--broker '" + BrokerUrl.redact(brokerUrl) + "' is not a broker URL: " + RootCause.message(e)
                    + "; e.g. tcp://broker:61616 or failover:(tcp://a:61616,tcp://b:61616)");
        }
        factory.setWatchTopicAdvisories(false);
        factory.getPrefetchPolicy().setQueuePrefetch(Limits.CLI_PREFETCH);
        factory.getPrefetchPolicy().setTopicPrefetch(Limits.CLI_PREFETCH);
        factory.setConnectResponseTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        CompletableFuture<Connection> attempt = CompletableFuture.supplyAsync(() -> {
            try {
                Connection c = factory.createConnection();
                c.start();
                return c;
            } catch (JMSException e) {
                throw new RuntimeException(e);
            }
        });
        return new Connecting(brokerUrl, destinations, timeout, deadline, insecure, tls, attempt);
    }

    /**
     * A connection under way ({@link #begin}). Closing it before {@link #await} gave the client closes the
     * connection whenever it comes: a run that stops during its set-up leaves nothing open.
     */
    public static final class Connecting implements AutoCloseable {
        private final String brokerUrl;
        private final Destinations destinations;
        private final Duration timeout;
        private final long deadline;
        private final boolean insecure;
        /** The TLS material the handshake waits for; null for {@code security: insecure}. */
        private final CompletableFuture<io.orch.trust.TlsMaterial> tls;
        private final CompletableFuture<Connection> attempt;
        private final Codec codec = new Codec();
        private ClientSecurity security;
        private boolean handedOver;

        private Connecting(String brokerUrl, Destinations destinations, Duration timeout, long deadline,
                           boolean insecure, CompletableFuture<io.orch.trust.TlsMaterial> tls,
                           CompletableFuture<Connection> attempt) {
            this.brokerUrl = brokerUrl;
            this.destinations = destinations;
            this.timeout = timeout;
            this.deadline = deadline;
            this.insecure = insecure;
            this.tls = tls;
            this.attempt = attempt;
        }

        /**
         * Hands over the operator's checked key material: the handshake goes on with its TLS part, and the client
         * signs and verifies with it.
         *
         * @throws UsageException when the JDK cannot use the key for TLS (the connection is then given up)
         */
        public void secure(ClientSecurity value) {
            Objects.requireNonNull(value, "security == null");
            if (value.insecure() != insecure) {
                throw new IllegalArgumentException("security " + (value.insecure() ? "insecure" : "verified")
                        + " for a connection begun " + (insecure ? "insecure" : "verified"));
            }
            if (tls != null) {
                try {
                    tls.complete(value.tlsMaterial());
                } catch (RuntimeException e) {
                    tls.completeExceptionally(e);
                    throw e;
                }
            }
            security = value;
        }

        /**
         * Does now, while the handshake runs, what the first send of {@code request} does for the first time:
         * the JSON writing and the signature (the work is kept, as the codec's and the signer's set-up; the
         * sealed text is thrown away, never sent).
         */
        public void prepare(Request request) {
            if (security == null) {
                throw new IllegalStateException("prepare before secure");
            }
            try {
                String sealed = security.sealer().seal(SecureEnvelope.Kind.REQUEST,
                        codec.encodeInnerRequest(request.routed(destinations.node("prepare"), "prepare")));
                codec.decodeEnvelope(sealed, SecureEnvelope.Kind.REQUEST);
            } catch (InvalidMessageException | RuntimeException e) {
                // only a head start: the real send does the same and reports what fails
            }
        }

        /** The client once connected, waiting at most until {@code timeout} after {@link #begin}. */
        public OrchClient await() throws BrokerUnreachableException {
            if (security == null) {
                throw new IllegalStateException("await before secure");
            }
            Connection connection;
            try {
                connection = attempt.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw new BrokerUnreachableException("no answer from broker " + BrokerUrl.redact(brokerUrl)
                        + " within " + timeout.toSeconds() + "s");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() instanceof RuntimeException r && r.getCause() != null ? r.getCause()
                        : e.getCause();
                // Say it with the URL the user typed, not the one with our timeout added.
                String why = RootCause.message(cause).replace(bounded(brokerUrl.trim(), timeout), brokerUrl.trim());
                // ActiveMQ only checks URL options and schemes when connecting; those are typing mistakes, not outages.
                if (why.startsWith("Invalid connect parameters") || why.startsWith("Could not find factory class")
                        || why.startsWith("Invalid location") || why.startsWith("port out of range")
                        || why.contains("URISyntaxException")) {
                    throw new UsageException("--broker '" + BrokerUrl.redact(brokerUrl) + "' is not usable: "
                            + BrokerUrl.redact(why) + "; e.g. tcp://broker:61616 or failover:(tcp://a:61616,tcp://b:61616)");
                }
                if (brokerUrl.contains("ssl://") && security.insecure()) {
                    why += "; an ssl:// broker wants a client certificate, and with --security insecure orch sends none";
                } else if (why.contains("PKIX") || why.contains("certificate")) {
                    why += "; the broker's certificate must come from the site's CA (--ca) and name the host in the URL";
                }
                throw new BrokerUnreachableException("cannot connect to broker " + BrokerUrl.redact(brokerUrl) + ": "
                        + BrokerUrl.redact(why));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BrokerUnreachableException("interrupted while connecting to " + BrokerUrl.redact(brokerUrl));
            }
            try {
                OrchClient client = new OrchClient(destinations, codec, security, connection);
                handedOver = true;
                return client;
            } catch (JMSException e) {
                closeQuietly(connection);
                throw new BrokerUnreachableException("broker " + BrokerUrl.redact(brokerUrl) + " refused the session: "
                        + RootCause.message(e));
            }
        }

        /** Closes the connection, whenever it comes, unless {@link #await} handed it over. */
        @Override
        public void close() {
            if (!handedOver) {
                if (tls != null) {
                    // A handshake still waiting for the material fails now instead of at the timeout.
                    tls.completeExceptionally(new IllegalStateException("the run ended before the key was read"));
                }
                attempt.thenAccept(OrchClient::closeQuietly);
            }
        }
    }

    /**
     * The URL as the CLI connects: every transport with orch's frame size and inactivity limits
     * ({@link BrokerUrl#withTransportLimits}), and a failover URL with a timeout, since without one it would
     * block a send forever while the broker is away.
     */
    static String bounded(String url, Duration timeout) {
        url = BrokerUrl.withTransportLimits(url);
        if (!url.startsWith("failover:") || url.contains("timeout=")) {
            return url;
        }
        if (!url.startsWith("failover:(") && !url.contains("?")) {
            // Without parentheses an option after '?' belongs to the last broker URI, not to failover.
            url = "failover:(" + url.substring("failover:".length()) + ")";
        }
        return url + (url.contains("?") ? "&" : "?") + "timeout=" + timeout.toMillis();
    }

    /**
     * Sends {@code request} to every node by broadcast, or to each addressed node on its own topic (signed for
     * that node), and collects replies until {@code discovery} says stop. Only the replies of
     * {@link Discovery#counted()} nodes count, when it names any.
     */
    @Override
    public Collected discover(Request request, Discovery discovery)
            throws InterruptedException, BrokerUnreachableException {
        Set<String> addressed = discovery.addressed();
        List<String> topics = new ArrayList<>(addressed.size());
        for (String node : addressed) {
            topics.add(destinations.node(node)); // all names checked before anything is sent
        }
        Gathered gathered = null;
        try (ReplyChannel channel = new ReplyChannel(request.id())) {
            long published = System.nanoTime();
            if (addressed.isEmpty()) {
                channel.send(destinations.broadcast(), channel.sealed(request, Request.BROADCAST), request);
            } else {
                int i = 0;
                for (String node : addressed) {
                    // Signed per node: the signature names the one node it is for, so it cannot be sent on to another.
                    channel.send(topics.get(i++), channel.sealed(request, node), request);
                }
            }
            gathered = new Gathered(request.id(), published);
            Set<String> waiting = new HashSet<>(discovery.inventory());
            while (!discovery.complete(waiting.isEmpty())) {
                long wait = discovery.deadlineNanos(published, gathered.last, !gathered.replies.isEmpty(),
                        waiting.isEmpty()) - System.nanoTime();
                if (wait <= 0) {
                    break;
                }
                if (gathered.take(channel.poll(wait), "discovery")) {
                    waiting.removeAll(gathered.replies.keySet());
                }
                if (gathered.stopped) {
                    break;
                }
            }
            // Named nodes only: a broadcast (a long list, a regex -I beside --nodes) reaches others too.
            gathered.replies.keySet().removeIf(node -> !discovery.counts(node));
            return gathered.result(waiting);
        } catch (BrokerUnreachableException e) {
            // Who answered before the loss is still news: the report lists them.
            throw new BrokerUnreachableException(e.getMessage(), lostDuring(request, gathered, discovery));
        } catch (JMSException e) {
            throw new BrokerLostException((gathered == null ? "before request " + request.id() + " was sent: "
                    : "during discovery of request " + request.id() + ": ") + RootCause.message(e), e,
                    lostDuring(request, gathered, discovery));
        }
    }

    /**
     * What discovery had when the broker was lost: the replies so far and the inventory's silent nodes
     * as missing; not sent at all when {@code gathered} is null.
     */
    private Collected lostDuring(Request request, Gathered gathered, Discovery discovery) {
        Set<String> missing = new HashSet<>(discovery.inventory());
        if (gathered == null) {
            return new Gathered(request.id(), System.nanoTime()).notSent(missing);
        }
        gathered.replies.keySet().removeIf(node -> !discovery.counts(node));
        missing.removeAll(gathered.replies.keySet());
        return gathered.result(missing);
    }

    /**
     * Sends {@code request} to each of {@code nodes} on its own topic and waits for exactly those.
     * Once stopped, nothing more is sent (the result says {@code sent() == false}). For an action
     * that changes nodes ({@code reboot}, {@code cancel}) a stop does not cut collecting short: the
     * replies decide who acts, so they are all read, until every node answered or {@code timeout}.
     */
    @Override
    public Collected direct(Request request, Collection<String> nodes, Duration timeout)
            throws InterruptedException, BrokerUnreachableException {
        List<String> topics = new ArrayList<>();
        for (String node : nodes) {
            topics.add(destinations.node(node)); // all names checked before anything is sent
        }
        boolean changesNodes = request.action() == Action.REBOOT || request.action() == Action.CANCEL;
        long published = System.nanoTime();
        Gathered gathered = new Gathered(request.id(), published);
        if (stopped) {
            return gathered.notSent(new LinkedHashSet<>(nodes));
        }
        ReplyChannel channel;
        try {
            channel = new ReplyChannel(request.id());
        } catch (JMSException e) {
            throw new BrokerUnreachableException("lost the broker before request " + request.id() + " was sent: "
                    + RootCause.message(e), gathered.notSent(new LinkedHashSet<>(nodes)));
        }
        Set<String> waiting = new LinkedHashSet<>(nodes);
        try (channel) {
            int i = 0;
            for (String node : nodes) {
                // Signed per node: the signature names the one node it is for, so it cannot be sent on to another.
                channel.send(topics.get(i++), channel.sealed(request, node), request);
            }
            long deadline = published + timeout.toNanos();
            while (!waiting.isEmpty()) {
                long wait = deadline - System.nanoTime();
                if (wait <= 0) {
                    break;
                }
                if (gathered.take(channel.poll(wait), request.action().wireName())) {
                    waiting.removeAll(gathered.replies.keySet());
                }
                if (gathered.stopped && !changesNodes) {
                    break;
                }
            }
            if (changesNodes) {
                // Replies that reached this CLI by the deadline were confirmed to their nodes, which act on
                // them: stop delivery, then count every one already here, late or not.
                channel.close();
                Inbound late;
                while ((late = channel.pollNow()) != null) {
                    if (gathered.take(late, request.action().wireName())) {
                        waiting.removeAll(gathered.replies.keySet());
                    }
                }
            }
        } catch (BrokerUnreachableException | JMSException e) {
            // The replies that arrived before the loss (some may still have been checked) count: their nodes act.
            for (Inbound item : channel.drain()) {
                try {
                    if (gathered.take(item, request.action().wireName())) {
                        waiting.removeAll(gathered.replies.keySet());
                    }
                } catch (BrokerUnreachableException ignored) {
                    // signals are left out of a drain
                }
            }
            gathered.replies.keySet().retainAll(new HashSet<>(nodes));
            throw new BrokerUnreachableException(e instanceof BrokerUnreachableException ? e.getMessage()
                    : "lost the broker during request " + request.id() + ": " + RootCause.message(e),
                    gathered.result(waiting));
        }
        // A reply from a node that was not asked must not count as an answer.
        gathered.replies.keySet().retainAll(new HashSet<>(nodes));
        return gathered.result(waiting);
    }

    /**
     * Starts collecting the collective's events for one run now, so none published from here on is missed;
     * read them with {@link EventFeed#poll}. Each is stamped with {@link System#nanoTime()} on arrival. A run
     * needs a few events of each node; past {@link Limits#MAX_CLI_EVENTS_PER_NODE} of one node the rest are
     * dropped and counted, so that one node cannot fill the inbox the others' events wait in.
     *
     * @throws BrokerLostException when the broker refuses the subscription
     */
    @Override
    public EventFeed events() throws BrokerLostException {
        return events(Limits.MAX_CLI_EVENTS_PER_NODE);
    }

    /**
     * As {@link #events()}, with no cap per node: for {@code orch watch}, which prints every event as it
     * reads it and may run for days (its inbox is still bounded).
     */
    public EventFeed allEvents() throws BrokerLostException {
        return events(Integer.MAX_VALUE);
    }

    private EventFeed events(int perNode) throws BrokerLostException {
        Inbox inbox = new Inbox(dropped);
        // Verified events queued per node; only the listener's thread uses it (one session, one thread).
        Map<String, Integer> queuedBy = new java.util.HashMap<>();
        Session eventSession;
        try {
            eventSession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = eventSession.createConsumer(eventSession.createTopic(destinations.events()));
            consumer.setMessageListener(message -> {
                long at = System.nanoTime();
                try {
                    String body = MessageBodies.text(message);
                    SecureEnvelope envelope = codec.decodeEnvelope(body, SecureEnvelope.Kind.EVENT);
                    Event event = codec.decodeEvent(envelope.body());
                    String why = security.problem(envelope, event.node());
                    if (why != null) {
                        note(new Unverified("event", event.node(), event.type().wireName() + ": " + why));
                        return;
                    }
                    // Counted after verification: a forger cannot use up a real node's allowance.
                    Integer queued = queuedBy.get(event.node());
                    if (queued == null ? queuedBy.size() >= Limits.MAX_CLI_INBOX_MESSAGES : queued >= perNode) {
                        dropped.incrementAndGet();
                        return;
                    }
                    if (inbox.offer(new Inbound.EventArrived(new EventFeed.Received(event, at)), body.length())) {
                        queuedBy.merge(event.node(), 1, Integer::sum);
                    }
                } catch (InvalidMessageException | JMSException e) {
                    // an event we cannot read is not one we wait for
                }
            });
        } catch (JMSException e) {
            throw new BrokerLostException(e.getMessage(), e);
        }
        inboxes.add(inbox);
        if (stopped) {
            inbox.signal(Inbound.Signal.STOPPED);
        }
        return new JmsEventFeed(inbox, () -> {
            inboxes.remove(inbox);
            eventSession.close();
        });
    }

    /**
     * The latest announcement of every node the broker keeps: a retroactive subscription to the registry (with
     * room ahead for the whole fleet, {@link Limits#CLI_REGISTRY_PREFETCH}), then a marker with a token of this
     * call's own on the barrier topic; everything before the marker is what the broker kept. Nothing is verified
     * here: {@link Announced#verify} checks one when the run needs it. Waits at most {@code wait}, never more,
     * and a Ctrl-C ends the wait with what has come. Never fails: a broker that will not let this operator read
     * the registry or write the marker only leaves the run with this host's record, and a note saying why
     * (a broker that is gone fails the discovery that comes next).
     */
    @Override
    public Registry registry(Duration wait) {
        String token = java.util.UUID.randomUUID().toString();
        Map<String, Announced> announced = new LinkedHashMap<>();
        long deadline = System.nanoTime() + wait.toNanos();
        Session registrySession;
        try {
            registrySession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        } catch (JMSException e) {
            return new Registry(List.of(), cannotRead(e));
        }
        try {
            MessageConsumer consumer = registrySession.createConsumer(registrySession.createTopic(
                    destinations.registryWildcard() + "?consumer.retroactive=true&consumer.prefetchSize="
                            + Limits.CLI_REGISTRY_PREFETCH));
            CompletableFuture<Void> sent = new CompletableFuture<>();
            ((org.apache.activemq.ActiveMQMessageProducer) producer).send(
                    registrySession.createTopic(destinations.registryBarrier()),
                    RegistryBarrier.marker(session, token), DeliveryMode.NON_PERSISTENT, Message.DEFAULT_PRIORITY,
                    RegistryBarrier.TTL_MS, new org.apache.activemq.AsyncCallback() {
                        @Override
                        public void onSuccess() {
                            sent.complete(null);
                        }

                        @Override
                        public void onException(JMSException e) {
                            sent.completeExceptionally(e);
                        }
                    });
            while (!stopped) {
                if (sent.isCompletedExceptionally()) {
                    return new Registry(List.copyOf(announced.values()), "the broker refused this host's marker on "
                            + destinations.registryBarrier() + " (" + RootCause.message(sent.handle((v, e) -> e)
                            .getNow(null)) + "), so the known nodes come from this host's record only; let operators "
                            + "write " + destinations.registryBarrier() + " (deploy/broker/activemq.xml)");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                Message message = consumer.receive(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
                if (message == null) {
                    continue;
                }
                var marker = RegistryBarrier.token(message);
                if (marker.isPresent()) {
                    if (marker.get().equals(token)) {
                        return new Registry(List.copyOf(announced.values()), null);
                    }
                    continue; // another reader's, or one the broker kept from an earlier run
                }
                take(message, announced);
            }
            return new Registry(List.copyOf(announced.values()), stopped ? "interrupted while reading the registry"
                    : "the broker did not return this host's marker on " + destinations.registryBarrier() + " within "
                    + wait.toMillis() + " ms, so the known nodes may be incomplete (a broker that keeps no "
                    + "announcements returns it at once)");
        } catch (JMSException e) {
            return new Registry(List.copyOf(announced.values()), cannotRead(e));
        } finally {
            try {
                registrySession.close();
            } catch (JMSException | RuntimeException e) {
                // the session goes with the connection
            }
        }
    }

    private String cannotRead(JMSException e) {
        return "cannot read the registry " + destinations.registryWildcard() + " (" + RootCause.message(e)
                + "), so the known nodes come from this host's record only";
    }

    /** Reads one retained announcement into {@code announced}: unreadable or misplaced ones are counted as dropped. */
    private void take(Message message, Map<String, Announced> announced) {
        try {
            String topic = message.getJMSDestination() instanceof jakarta.jms.Topic t ? t.getTopicName() : null;
            var owner = destinations.registryIdentity(topic);
            SecureEnvelope envelope = codec.decodeEnvelope(MessageBodies.text(message),
                    SecureEnvelope.Kind.ANNOUNCEMENT);
            Announcement announcement = codec.decodeAnnouncement(envelope.body());
            if (owner.isEmpty() || !owner.get().equals(announcement.node())
                    || (!announced.containsKey(announcement.node())
                    && announced.size() >= Limits.MAX_CLI_INVENTORY_NODES)) {
                // On another node's topic: whoever wrote it could not have written it there honestly.
                dropped.incrementAndGet();
                return;
            }
            announced.put(announcement.node(), new BusAnnouncement(envelope, announcement));
        } catch (InvalidMessageException | JMSException | RuntimeException e) {
            dropped.incrementAndGet();
        }
    }

    /** A retained announcement, checked only when asked (once), a failure kept among the unverified notes. */
    private final class BusAnnouncement implements Announced {
        private final SecureEnvelope envelope;
        private final KnownNode node;
        private String problem;
        private boolean checked;

        BusAnnouncement(SecureEnvelope envelope, Announcement announcement) {
            this.envelope = envelope;
            this.node = new KnownNode(announcement.node(), switch (announcement.state()) {
                case UP -> NodeState.UP;
                case REBOOTING -> NodeState.REBOOTING;
                case STOPPED -> NodeState.STOPPED;
            }, announcement.time(), announcement.version(), announcement.bootId().isEmpty() ? null
                    : announcement.bootId(), announcement.startedAt(), announcement.intervalSeconds());
        }

        @Override
        public KnownNode node() {
            return node;
        }

        @Override
        public synchronized String verify() {
            if (!checked) {
                checked = true;
                problem = security.problem(envelope, node.identity());
                if (problem != null) {
                    note(new Unverified("announcement", node.identity(), node.state().wireName() + ": " + problem));
                }
            }
            return problem;
        }
    }

    /**
     * Makes every wait of this client end now with what it has (replies so far, no more events),
     * and every later one at once: how an operator's Ctrl-C reaches a run.
     */
    @Override
    public void stop() {
        stopped = true;
        inboxes.forEach(inbox -> inbox.signal(Inbound.Signal.STOPPED));
    }

    @Override
    public boolean stopped() {
        return stopped;
    }

    @Override
    public List<Unverified> unverified() {
        synchronized (unverified) {
            return List.copyOf(unverified);
        }
    }

    @Override
    public long dropped() {
        return dropped.get();
    }

    /** Keeps the first {@link Limits#MAX_CLI_NOTES} unverified messages; a forger can send without end. */
    private void note(Unverified u) {
        synchronized (unverified) {
            if (unverified.size() < Limits.MAX_CLI_NOTES) {
                unverified.add(u);
                return;
            }
        }
        dropped.incrementAndGet();
    }

    /** Replies to one request, in arrival order. */
    private final class Gathered {
        final String requestId;
        final long published;
        final Map<String, NodeReply> replies = new LinkedHashMap<>();
        final Set<String> duplicates = new LinkedHashSet<>();
        final List<String> unreadable = new ArrayList<>();
        long last;
        boolean stopped = OrchClient.this.stopped;

        Gathered(String requestId, long published) {
            this.requestId = requestId;
            this.published = published;
            this.last = published;
        }

        /** @return true when {@code item} was a reply to this request */
        boolean take(Inbound item, String phase) throws BrokerUnreachableException {
            if (item == null) {
                return false;
            }
            if (item == Inbound.Signal.STOPPED) {
                stopped = true;
                return false;
            }
            if (item == Inbound.Signal.BROKER_LOST) {
                throw new BrokerUnreachableException("lost the broker during " + phase + " of request " + requestId
                        + "; some nodes may have received it (check with orch status)");
            }
            if (item instanceof Inbound.Unreadable unreadableReply) {
                unreadable(unreadableReply.why());
                return false;
            }
            if (item instanceof Inbound.DuplicateReply duplicate) {
                // Its first answer came before it (an inbox keeps order), unless that one was unusable.
                if (replies.containsKey(duplicate.node())) {
                    duplicates.add(duplicate.node());
                }
                return false;
            }
            if (!(item instanceof Inbound.ReplyArrived arrived)) {
                return false; // an event: never in a reply inbox
            }
            Reply reply = arrived.reply();
            if (!reply.requestId().equals(requestId)) {
                return false;
            }
            if (Destinations.identityProblem(reply.node()) != null) {
                unreadable("reply with an unusable node identity '" + reply.node() + "'");
                return false;
            }
            long now = System.nanoTime();
            // A node answers a request once; a second answer means two responders share an identity.
            NodeReply first = replies.putIfAbsent(reply.node(), new NodeReply(reply, Duration.ofNanos(now - published)));
            if (first != null) {
                duplicates.add(reply.node());
                if (reply.status() == io.orch.protocol.envelope.ReplyStatus.SCHEDULED) {
                    // Keep the answer that reboots: that is the one the report must not lose.
                    replies.put(reply.node(), new NodeReply(reply, Duration.ofNanos(now - published)));
                }
            }
            last = now;
            return true;
        }

        private void unreadable(String why) {
            if (unreadable.size() < Limits.MAX_CLI_NOTES) {
                unreadable.add(why);
            } else {
                dropped.incrementAndGet();
            }
        }

        Collected result(Set<String> missing) {
            return new Collected(requestId, replies, missing, duplicates, unreadable,
                    Duration.ofNanos(System.nanoTime() - published),
                    replies.isEmpty() ? Duration.ZERO : Duration.ofNanos(last - published), stopped, true);
        }

        Collected notSent(Set<String> nodes) {
            return new Collected(requestId, Map.of(), nodes, Set.of(), List.of(), Duration.ZERO, Duration.ZERO, true,
                    false);
        }
    }

    /** What a reply queue's listener has let through for one node. */
    private static final class Answered {
        boolean scheduled;
        boolean duplicateTold;

        Answered(boolean scheduled) {
            this.scheduled = scheduled;
        }
    }

    /**
     * A temporary queue for the replies to one request, gone as soon as collecting ends. Its listener keeps
     * one answer per node (and a later {@code scheduled} one, which the report must not lose), plus the fact
     * that a node answered again; any further copy is dropped and counted before it takes room in the inbox,
     * so one node answering without end cannot push out the others' replies. Only verified replies to this
     * request count towards that: a forgery or a reply to another request never takes a node's place.
     */
    private final class ReplyChannel implements AutoCloseable {
        private final Inbox inbox = new Inbox(dropped);
        private final String requestId;
        /** Guarded by this channel: the checkers admit replies one at a time. */
        private final Map<String, Answered> answered = new java.util.HashMap<>();
        /** KiB of reply bodies handed to the checkers and not yet through ({@link Limits#CLI_REPLY_CHECK_CHARS}). */
        private final java.util.concurrent.Semaphore inCheck = new java.util.concurrent.Semaphore(CHECK_KIB);
        private final Session replySession;
        private final TemporaryQueue queue;

        ReplyChannel(String requestId) throws JMSException {
            this.requestId = requestId;
            // Replies arrive on their own session: JMS forbids sending on a session whose listener runs.
            replySession = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try {
                queue = replySession.createTemporaryQueue();
            } catch (JMSException | RuntimeException e) {
                replySession.close();
                throw e;
            }
            replySession.createConsumer(queue).setMessageListener(message -> {
                String body;
                try {
                    body = MessageBodies.text(message);
                } catch (InvalidMessageException | JMSException e) {
                    unreadable(e.getMessage());
                    return;
                }
                int kib = (int) Math.min(CHECK_KIB, Math.max(1, body.length() / 1024 + 1));
                inCheck.acquireUninterruptibly(kib);
                try {
                    checkers.execute(() -> {
                        try {
                            check(body);
                        } finally {
                            inCheck.release(kib);
                        }
                    });
                } catch (Throwable e) {
                    inCheck.release(kib);
                    check(body); // no checker took it (the client is closing, say): checked here, as before
                }
            });
            inboxes.add(inbox);
            if (stopped) {
                inbox.signal(Inbound.Signal.STOPPED);
            }
        }

        /** Decodes and checks one reply, and queues it if it is a verified answer to this request. */
        private void check(String body) {
            try {
                SecureEnvelope envelope = codec.decodeEnvelope(body, SecureEnvelope.Kind.REPLY);
                Reply reply = codec.decodeReply(envelope.body());
                String why = security.problem(envelope, reply.node());
                if (why != null) {
                    // Never counts: a forged answer must not make a node answered, failed or skipped.
                    note(new Unverified("reply", reply.node(), reply.status().wireName() + ": " + why));
                    return;
                }
                if (!reply.requestId().equals(requestId)) {
                    dropped.incrementAndGet(); // an answer to another request never counts here
                    return;
                }
                admit(reply, body.length());
            } catch (InvalidMessageException e) {
                unreadable(e.getMessage());
            } catch (RuntimeException | Error e) {
                // Never lost silently on a checker thread: reported, and named as the CLI's failure, not the node's.
                log.warn("could not check a reply: {}", e.toString());
                unreadable("the CLI failed while checking it: " + e);
            }
        }

        private void unreadable(String what) {
            String why = "unreadable reply: " + what;
            inbox.offer(new Inbound.Unreadable(why), why.length());
        }

        /**
         * Closes the channel and hands back what is in its inbox, the signals left out: once the broker is lost,
         * the replies that did arrive still decide who acts.
         */
        List<Inbound> drain() {
            close();
            List<Inbound> left = new ArrayList<>();
            Inbound item;
            while ((item = inbox.poll()) != null) {
                if (!(item instanceof Inbound.Signal)) {
                    left.add(item);
                }
            }
            return left;
        }

        /** Queues a verified reply to this request unless its node already has its answer in. */
        private synchronized void admit(Reply reply, long bytes) {
            boolean scheduled = reply.status() == io.orch.protocol.envelope.ReplyStatus.SCHEDULED;
            Answered seen = answered.get(reply.node());
            if (seen == null) {
                // Remembered only once queued: a first answer the full inbox dropped leaves room for the next.
                if (answered.size() < Limits.MAX_CLI_INBOX_MESSAGES
                        && inbox.offer(new Inbound.ReplyArrived(reply), bytes)) {
                    answered.put(reply.node(), new Answered(scheduled));
                } else if (answered.size() >= Limits.MAX_CLI_INBOX_MESSAGES) {
                    dropped.incrementAndGet();
                }
                return;
            }
            if (scheduled && !seen.scheduled) {
                // The answer that reboots; the run sees it as the node's second and fails the node as a duplicate.
                if (inbox.offer(new Inbound.ReplyArrived(reply), bytes)) {
                    seen.scheduled = true;
                    seen.duplicateTold = true;
                }
                return;
            }
            if (!seen.duplicateTold) {
                // The second answer is kept as the fact that there was one, without its content.
                seen.duplicateTold = inbox.offer(new Inbound.DuplicateReply(reply.node()), reply.node().length());
                return;
            }
            dropped.incrementAndGet();
        }

        /** The request routed to {@code target} with replies to this queue, signed. */
        String sealed(Request request, String target) throws JMSException {
            return security.sealer().seal(SecureEnvelope.Kind.REQUEST,
                    codec.encodeInnerRequest(request.routed(target, queue.getQueueName())));
        }

        void send(String topic, String body, Request request) throws JMSException {
            TextMessage message = session.createTextMessage(body);
            message.setJMSReplyTo(queue);
            message.setJMSCorrelationID(request.id());
            Destination to = session.createTopic(topic);
            producer.send(to, message, DeliveryMode.NON_PERSISTENT, Message.DEFAULT_PRIORITY,
                    request.ttlSeconds() * 1000L);
        }

        Inbound poll(long nanos) throws InterruptedException {
            return inbox.poll(nanos);
        }

        /** What is already here, without waiting; null when nothing is. */
        Inbound pollNow() {
            Inbound item = inbox.poll();
            return item == Inbound.Signal.STOPPED ? inbox.poll() : item;
        }

        /** Stops delivery and deletes the queue; never fails, and closing twice is fine. */
        @Override
        public void close() {
            if (!inboxes.remove(inbox)) {
                return;
            }
            try {
                replySession.close(); // waits for a listener still running
            } catch (JMSException | RuntimeException e) {
                // the session goes with the connection
            } finally {
                // ... and then for the replies it handed to the checkers (the session may have failed with the
                // broker): each is in the inbox after, as before.
                try {
                    if (inCheck.tryAcquire(CHECK_KIB, Limits.CLI_REPLY_CHECK_CLOSE_WAIT_MS, TimeUnit.MILLISECONDS)) {
                        inCheck.release(CHECK_KIB);
                    } else {
                        log.warn("replies to request {} were still being checked after {} ms; not counted",
                                requestId, Limits.CLI_REPLY_CHECK_CLOSE_WAIT_MS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                try {
                    queue.delete();
                } catch (JMSException | RuntimeException e) {
                    // a temporary queue dies with its connection anyway
                }
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(connection);
        checkers.shutdown();
        security.save();
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (JMSException | RuntimeException e) {
            // closing on the way out: nothing left to do about it
        }
    }
}
