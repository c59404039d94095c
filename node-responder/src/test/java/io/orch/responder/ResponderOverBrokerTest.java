package io.orch.responder;

import io.orch.protocol.Limits;
import io.orch.responder.security.NodeSecurity;
import static io.orch.responder.Fixture.write;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orch.protocol.bus.Destinations;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.EventType;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.envelope.SecureEnvelope;
import io.orch.protocol.filter.FilterSpec;
import io.orch.responder.bus.NodeEndpoint;
import io.orch.responder.config.ResponderConfig;
import io.orch.responder.config.ResponderWiring;
import io.orch.responder.executor.RebootExecutor;
import io.orch.responder.executor.RebootPlan;
import io.orch.responder.facts.BuiltinFacts;
import io.orch.responder.facts.NodeFacts;
import io.orch.responder.node.Responder;
import io.orch.responder.pending.PendingCheck;
import io.orch.responder.pending.PendingDetector;
import io.orch.protocol.payload.Reason;
import io.orch.responder.request.RequestLog;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerFilter;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.ProducerBrokerExchange;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A responder on a real ActiveMQ broker over loopback TCP, wired as a node wires it, on a
 * fixture root and with an executor that only records plans. A test client sends requests (and
 * worse) the way the CLI or a STOMP client would, and reads the replies and events.
 */
class ResponderOverBrokerTest {

    private static final String BOOT_ID = "3f6c2a9e-5b1d-4c7e-9a2f-0d8b7e6c5a41";
    private static final String BAD_ID = "bad-0000-4000-8000-000000000001";
    private static final FilterSpec PENDING_ONLY = new FilterSpec(List.of("reboot_pending=true"), List.of(), null);
    private static final AtomicInteger NODES = new AtomicInteger();

    private static BrokerService broker;
    private static String brokerUrl;
    /** Sees every message the broker receives, before it is routed; may throw to refuse it. */
    private static volatile Consumer<org.apache.activemq.command.Message> onBrokerSend;

    @TempDir
    Path root;

    private final Codec codec = new Codec();
    private final String identity = "node" + NODES.incrementAndGet() + ".test";
    private final RecordingExecutor executor = new RecordingExecutor();
    private final List<Reply> replies = new CopyOnWriteArrayList<>();
    private final List<String> replyCorrelationIds = new CopyOnWriteArrayList<>();
    private final Map<String, Long> replyExpirations = new ConcurrentHashMap<>();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final LogCapture log = LogCapture.of(RequestLog.LOG);

    private Executor rebootThread = Runnable::run;
    private RebootExecutor nodeExecutor = executor;
    private boolean allowForce;
    private final OffsetClock nodeClock = new OffsetClock();
    private Connection nodeConnection;
    private NodeEndpoint endpoint;
    private Connection clientConnection;
    private Session client;
    private MessageProducer producer;
    private TemporaryQueue replyTo;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = BusClient.newBroker("responder-test");
        BrokerPlugin[] schemas = broker.getPlugins();
        broker.setPlugins(new BrokerPlugin[] {schemas[0], next -> new BrokerFilter(next) {
            @Override
            public void send(ProducerBrokerExchange exchange, org.apache.activemq.command.Message message)
                    throws Exception {
                Consumer<org.apache.activemq.command.Message> hook = onBrokerSend;
                if (hook != null) {
                    hook.accept(message);
                }
                super.send(exchange, message);
            }
        }});
        broker.start();
        broker.waitUntilStarted();
        brokerUrl = BusClient.url(broker);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        BusClient.stopAndCheck(broker);
    }

    @BeforeEach
    void fixtureAndClient() throws Exception {
        write(root, "etc/os-release", "NAME=\"Debian GNU/Linux\"\nID=debian\nVERSION_ID=\"12\"\n");
        write(root, "proc/sys/kernel/osrelease", "6.1.0-10-amd64\n");
        write(root, "proc/sys/kernel/random/boot_id", BOOT_ID + "\n");
        write(root, "proc/uptime", "3600.25 7000.00\n");
        write(root, "boot/vmlinuz-6.1.0-10-amd64", "");

        clientConnection = connectionFactory().createConnection();
        clientConnection.start();
        client = clientConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        producer = client.createProducer(null);
        producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        replyTo = client.createTemporaryQueue();
        client.createConsumer(replyTo).setMessageListener(m -> {
            try {
                replies.add(codec.decodeReply(opened(((TextMessage) m).getText(), SecureEnvelope.Kind.REPLY)));
                replyCorrelationIds.add(m.getJMSCorrelationID());
                replyExpirations.put(m.getJMSCorrelationID(), m.getJMSExpiration());
            } catch (Exception e) {
                throw new IllegalStateException("the node sent an unreadable reply", e);
            }
        });
        client.createConsumer(client.createTopic("orch.events")).setMessageListener(m -> {
            try {
                events.add(codec.decodeEvent(opened(((TextMessage) m).getText(), SecureEnvelope.Kind.EVENT)));
            } catch (Exception e) {
                throw new IllegalStateException("the node sent an unreadable event", e);
            }
        });
        assertTrue(log.available(), "logback-test.xml attaches the CAPTURE appender");
        log.clear();
    }

    @AfterEach
    void stopNodeAndClient() throws Exception {
        onBrokerSend = null;
        if (endpoint != null) {
            endpoint.close();
        }
        if (nodeConnection != null) {
            nodeConnection.close();
        }
        clientConnection.close();
    }

    private static ActiveMQConnectionFactory connectionFactory() {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(brokerUrl);
        factory.setWatchTopicAdvisories(false);
        return factory;
    }

    private ResponderConfig config() {
        return new ResponderConfig(identity, "orch", null, new ResponderConfig.Facts(root.toString(), List.of()),
                null, new ResponderConfig.Reboot(null, null, null, allowForce), null);
    }

    /** Starts the node the way ResponderMain does, with facts from the fixture root. */
    private void startNode() throws Exception {
        startNode(ResponderWiring.facts(config(), Clock.systemUTC()));
    }

    private void startNode(NodeFacts facts) throws Exception {
        nodeConnection = connectionFactory().createConnection();
        nodeConnection.start();
        NodeSecurity security = TestTrust.shared().node(facts.identity(), nodeClock);
        endpoint = NodeEndpoint.open(nodeConnection, new Destinations("orch"), new Codec(), security.sealer());
        Responder responder = ResponderWiring.responder(config(), facts, nodeExecutor, rebootThread, endpoint,
                nodeClock, security);
        endpoint.serve(responder);
    }

    private void makePending() {
        write(root, "run/reboot-required", "*** System restart required ***\n");
        write(root, "run/reboot-required.pkgs", "linux-image-6.1.0-11-amd64\n");
    }

    private static Request request(Action action, FilterSpec filter, Map<String, Object> params) {
        return Request.create("orch", action, filter, params, "tester", "junit", Instant.now(), Duration.ofSeconds(60));
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10));
    }

    private String nodeTopic() {
        return "orch.node." + identity;
    }

    private void send(String topic, Message message, String correlationId, boolean withReplyTo) throws JMSException {
        message.setJMSCorrelationID(correlationId);
        if (withReplyTo) {
            message.setJMSReplyTo(replyTo);
        }
        producer.send(client.createTopic(topic), message);
    }

    private Reply ask(String topic, Request request) throws Exception {
        send(topic, client.createTextMessage(signed(topic, request)), request.id(), true);
        return replyTo(request.id());
    }

    /** {@code request} routed to {@code topic} with replies to {@code replies}, signed by the tests' operator. */
    private String signed(String topic, Request request, Destination replies) throws JMSException {
        String target = topic.startsWith("orch.node.") ? topic.substring("orch.node.".length()) : Request.BROADCAST;
        String replyName = replies instanceof jakarta.jms.Queue q ? q.getQueueName()
                : ((jakarta.jms.Topic) replies).getTopicName();
        return TestTrust.shared().operatorSealer().seal(SecureEnvelope.Kind.REQUEST,
                codec.encodeInnerRequest(request.routed(target, replyName)));
    }

    private String signed(String topic, Request request) throws JMSException {
        return signed(topic, request, replyTo);
    }

    /** The message inside a reply or event, once its signature is checked: a node that does not sign fails. */
    private String opened(String text, SecureEnvelope.Kind kind) throws Exception {
        SecureEnvelope envelope = codec.decodeEnvelope(text, kind);
        String node = codec.mapper().readTree(envelope.body()).path("node").asText();
        if (!TestTrust.shared().verifier().verify(envelope, node).name().equals(node)) {
            throw new IllegalStateException("signed by another node than " + node);
        }
        return envelope.body();
    }

    private Reply replyTo(String requestId) {
        return eventually().until(() -> replies.stream().filter(r -> r.requestId().equals(requestId)).findFirst(),
                Optional::isPresent).orElseThrow();
    }

    /** The audit line of {@code requestId} in the node's {@code file} (audit.jsonl or audit-reboots.jsonl), if any. */
    private Optional<com.fasterxml.jackson.databind.JsonNode> audited(String file, String requestId) throws IOException {
        Path path = root.resolve("var/lib/orch").resolve(file);
        if (!java.nio.file.Files.exists(path)) {
            return Optional.empty();
        }
        List<com.fasterxml.jackson.databind.JsonNode> found = new ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(path)) {
            com.fasterxml.jackson.databind.JsonNode node = new ObjectMapper().readTree(line);
            if (requestId.equals(node.path("request_id").asText())) {
                found.add(node);
            }
        }
        assertTrue(found.size() <= 1, "one line per request: " + found);
        return found.stream().findFirst();
    }

    private com.fasterxml.jackson.databind.JsonNode auditLine(String requestId) throws IOException {
        return audited("audit.jsonl", requestId).orElseThrow(() -> new AssertionError("no audit line for "
                + requestId));
    }

    /** A ping answered ok also proves that everything sent before it has been handled. */
    private void assertStillServing() throws Exception {
        Reply pong = ask(nodeTopic(), request(Action.PING, null, null));
        assertEquals(ReplyStatus.OK, pong.status(), pong.message());
        assertEquals(identity, pong.node());
    }

    // ------------------------------------------------------------------------------------------ happy paths

    @Test
    void pingOnTheBroadcastTopicIsAnsweredWithIdentityAndBootId() throws Exception {
        startNode();
        Request ping = request(Action.PING, null, null);

        Reply reply = ask("orch.broadcast", ping);

        assertEquals(ReplyStatus.OK, reply.status());
        assertEquals(identity, reply.node());
        assertEquals("ping", reply.action());
        assertTrue(reply.matched());
        assertEquals(BOOT_ID, WireData.of(reply).get("boot_id"));
        assertTrue(((Number) WireData.of(reply).get("uptime_s")).longValue() >= 3600);
        assertEquals(List.of(ping.id()), replyCorrelationIds, "the reply carries the request id as correlation id");
    }

    @Test
    void startedEventIsPublishedWhenTheNodeStartsServing() throws Exception {
        startNode();

        Event started = eventually().until(() -> events.stream().filter(e -> e.type() == EventType.STARTED).findFirst(),
                Optional::isPresent).orElseThrow();

        assertEquals(identity, started.node());
        assertEquals(BOOT_ID, started.bootId());
    }

    @Test
    void requestSentAsBytesLikeAStompClientIsAnswered() throws Exception {
        startNode();
        Request ping = request(Action.PING, null, null);
        BytesMessage bytes = client.createBytesMessage();
        bytes.writeBytes(signed(nodeTopic(), ping).getBytes(StandardCharsets.UTF_8));

        send(nodeTopic(), bytes, ping.id(), true);

        assertEquals(ReplyStatus.OK, replyTo(ping.id()).status());
    }

    @Test
    void pendingNodeAnswersNoopToANoopRebootAndDoesNothing() throws Exception {
        makePending();
        startNode();

        Reply reply = ask(nodeTopic(), request(Action.REBOOT, PENDING_ONLY, Map.of("noop", true)));

        assertEquals(ReplyStatus.NOOP, reply.status(), reply.message());
        assertTrue(reply.matched());
        assertTrue(reply.message().startsWith("would reboot in 60s (reboot_required)"), reply.message());
        assertEquals("would_reboot", resource(reply).get("outcome"));
        assertStillServing();
        assertEquals(List.of(), executor.plans);
        assertTrue(events.stream().noneMatch(e -> e.type() == EventType.REBOOTING));
    }

    @Test
    void pendingNodeRepliesScheduledThenRecordsExactlyOnePlanAndAnnouncesRebooting() throws Exception {
        makePending();
        startNode();
        Request reboot = request(Action.REBOOT, PENDING_ONLY, Map.of("delay_s", 120, "message", "patch night"));

        Reply reply = ask(nodeTopic(), reboot);

        assertEquals(ReplyStatus.SCHEDULED, reply.status(), reply.message());
        assertTrue(reply.message().startsWith("reboot in 120s (reboot_required)"), reply.message());
        assertTrue(reply.message().contains("recorded by the test"), "the reply says which executor: " + reply.message());
        assertEquals("scheduled", resource(reply).get("outcome"));
        assertEquals(BOOT_ID, WireData.of(reply).get("boot_id"));

        Event rebooting = eventually().until(() -> events.stream().filter(e -> e.type() == EventType.REBOOTING)
                .findFirst(), Optional::isPresent).orElseThrow();
        assertEquals(reboot.id(), rebooting.requestId());
        assertEquals(identity, rebooting.node());
        assertEquals(BOOT_ID, rebooting.bootId());
        assertEquals(120, ((Number) WireData.of(rebooting).get("delay_s")).intValue());
        assertEquals(List.of("reboot_required"), WireData.reasonNames(rebooting));

        eventually().until(() -> executor.plans.size() == 1);
        assertStillServing();
        assertEquals(List.of(new RebootPlan(reboot.id(), Duration.ofSeconds(120), "patch night",
                List.of("reboot_required"))), executor.plans);
    }

    @Test
    void scheduledReplyIsOnTheBrokerBeforeTheRebootStarts() throws Exception {
        makePending();
        TemporaryQueue replies = client.createTemporaryQueue(); // nobody consumes it, so the reply stays to be seen
        AtomicReference<Object> seenAtReboot = new AtomicReference<>();
        rebootThread = task -> {
            try {
                seenAtReboot.set(browse(replies));
            } catch (Exception e) {
                seenAtReboot.set(e);
            }
            task.run();
        };
        startNode();
        Request reboot = request(Action.REBOOT, null, Map.of());
        TextMessage message = client.createTextMessage(signed(nodeTopic(), reboot, replies));
        message.setJMSCorrelationID(reboot.id());
        message.setJMSReplyTo(replies);

        producer.send(client.createTopic(nodeTopic()), message);

        eventually().until(() -> executor.plans.size() == 1);
        assertEquals(List.of(reboot.id()), seenAtReboot.get(), "correlation ids of replies waiting when the reboot began");
        for (String file : List.of("audit.jsonl", "audit-reboots.jsonl")) {
            com.fasterxml.jackson.databind.JsonNode line = audited(file, reboot.id()).orElseThrow();
            assertEquals("scheduled", line.path("decision").asText(), file + ": " + line);
            assertEquals("scheduled", line.path("reply").asText(), line.toString());
        }
    }

    private List<String> browse(Queue queue) throws JMSException {
        try (Session session = clientConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             QueueBrowser browser = session.createBrowser(queue)) {
            List<String> ids = new ArrayList<>();
            Enumeration<?> messages = browser.getEnumeration();
            while (messages.hasMoreElements()) {
                ids.add(((Message) messages.nextElement()).getJMSCorrelationID());
            }
            return ids;
        }
    }

    @Test
    void nodeWithNothingPendingAnswersNotPendingAndDoesNothing() throws Exception {
        startNode();

        Reply reply = ask(nodeTopic(), request(Action.REBOOT, null, Map.of()));

        assertEquals(ReplyStatus.NOT_PENDING, reply.status(), reply.message());
        assertTrue(reply.matched());
        assertEquals("not_pending", resource(reply).get("outcome"));
        assertStillServing();
        assertEquals(List.of(), executor.plans);
    }

    @Test
    void filterThatDoesNotMatchIsNotMatchedOnRebootAndMatchedFalseOnDiscover() throws Exception {
        startNode();

        Reply reboot = ask(nodeTopic(), request(Action.REBOOT, PENDING_ONLY, Map.of()));
        Reply discover = ask("orch.broadcast", request(Action.DISCOVER, PENDING_ONLY, null));

        assertEquals(ReplyStatus.NOT_MATCHED, reboot.status());
        assertFalse(reboot.matched());
        assertEquals(ReplyStatus.OK, discover.status());
        assertFalse(discover.matched());
        assertEquals("not matched", discover.message());
        assertStillServing();
        assertEquals(List.of(), executor.plans);
    }

    @Test
    void rebootPendingIsReadFreshForEveryRequest() throws Exception {
        startNode();
        assertFalse(ask("orch.broadcast", request(Action.DISCOVER, PENDING_ONLY, null)).matched());

        makePending();

        Reply discover = ask("orch.broadcast", request(Action.DISCOVER, PENDING_ONLY, null));
        assertTrue(discover.matched());
        assertEquals("matched", discover.message());
    }

    @Test
    void statusReportsReasonsWithEvidenceAndTheFactsAskedFor() throws Exception {
        makePending();
        startNode();

        Reply status = ask(nodeTopic(), request(Action.STATUS, null,
                Map.of("facts", List.of("os.family", "kernel.release", "no.such.fact"))));

        assertEquals(ReplyStatus.OK, status.status());
        assertEquals(true, WireData.of(status).get("pending"));
        assertEquals(List.of(Map.of("name", "reboot_required",
                "detail", "/run/reboot-required exists (linux-image-6.1.0-11-amd64)",
                "evidence", Map.of("file", "/run/reboot-required", "packages", List.of("linux-image-6.1.0-11-amd64")))),
                WireData.of(status).get("reasons"));
        Map<String, Object> facts = new java.util.HashMap<>();
        facts.put("os.family", "Debian");
        facts.put("kernel.release", "6.1.0-10-amd64");
        facts.put("no.such.fact", null);
        assertEquals(facts, WireData.of(status).get("facts"));
    }

    @Test
    void detectorThatFailsWithNoReasonFoundIsFailedOnRebootAndStatusAndTheNodeNeverReboots() throws Exception {
        makePending();
        PendingDetector broken = new PendingDetector() {
            @Override
            public String name() {
                return "kernel_update";
            }

            @Override
            public Optional<Reason> detect() throws IOException {
                throw new IOException("cannot list /boot");
            }
        };
        startNode(new NodeFacts(BuiltinFacts.read(root, identity, Clock.systemUTC()),
                new PendingCheck(List.of(broken)), Clock.systemUTC()));

        Reply reboot = ask(nodeTopic(), request(Action.REBOOT, null, Map.of()));
        Reply status = ask(nodeTopic(), request(Action.STATUS, null, null));

        String unknown = "pending state unknown: detector kernel_update failed: java.io.IOException: cannot list /boot";
        assertEquals(ReplyStatus.FAILED, reboot.status(), reboot.message());
        assertEquals(unknown, reboot.message());
        assertEquals(ReplyStatus.FAILED, status.status(), status.message());
        assertEquals(unknown, status.message());
        assertEquals(false, WireData.of(status).get("pending"));
        assertEquals(Map.of("kernel_update", "java.io.IOException: cannot list /boot"),
                WireData.of(status).get("detector_errors"));
        assertStillServing();
        assertEquals(List.of(), executor.plans);
    }

    // ------------------------------------------------------------------------------------------ safeguards

    private Event event(EventType type, String requestId) {
        return eventually().until(() -> events.stream().filter(e -> e.type() == type
                && requestId.equals(e.requestId())).findFirst(), Optional::isPresent).orElseThrow();
    }

    private void assertNoRebootStarted() {
        assertEquals(List.of(), executor.plans);
        assertTrue(events.stream().noneMatch(e -> e.type() == EventType.REBOOTING), events.toString());
    }

    @ParameterizedTest
    @EnumSource(value = Action.class, names = {"REBOOT", "CANCEL"})
    void rebootOrCancelOnTheBroadcastIsDeniedAndNeverActedOn(Action action) throws Exception {
        makePending();
        startNode();

        Reply reply = ask("orch.broadcast", request(action, null, Map.of()));

        assertEquals(ReplyStatus.DENIED, reply.status(), reply.message());
        assertEquals(action.wireName() + " must be sent to orch.node." + identity + "; discover first",
                reply.message());
        assertStillServing();
        assertNoRebootStarted();
    }

    @ParameterizedTest
    @EnumSource(value = Action.class, names = {"PING", "DISCOVER", "STATUS"})
    void readOnlyActionsAreAnsweredOnTheBroadcastAndTheNodeTopic(Action action) throws Exception {
        makePending();
        startNode();

        for (String topic : List.of("orch.broadcast", nodeTopic())) {
            Reply reply = ask(topic, request(action, null, null));
            assertEquals(ReplyStatus.OK, reply.status(), topic + ": " + reply.message());
            assertTrue(reply.matched(), topic);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"topic", "queue", "temporary topic"})
    void requestWhoseReplyToIsNotATemporaryQueueIsNeitherAnsweredNorActedOn(String kind) throws Exception {
        makePending();
        startNode();
        String name = "test.replies." + UUID.randomUUID();
        Destination to = switch (kind) {
            case "topic" -> client.createTopic(name);
            case "queue" -> client.createQueue(name);
            default -> client.createTemporaryTopic();
        };
        List<Message> got = new CopyOnWriteArrayList<>();
        client.createConsumer(to).setMessageListener(got::add);
        Request reboot = request(Action.REBOOT, null, Map.of());
        Request ping = request(Action.PING, null, null);
        for (Request request : List.of(reboot, ping)) {
            TextMessage message = client.createTextMessage(signed(nodeTopic(), request, to));
            message.setJMSCorrelationID(request.id());
            message.setJMSReplyTo(to);
            producer.send(client.createTopic(nodeTopic()), message);
        }

        assertStillServing(); // handled in order: everything sent before has been handled
        assertEquals(List.of(), got, "nothing goes to a " + kind);
        assertNoRebootStarted();
        assertTrue(LogCapture.of(NodeEndpoint.class).contains("WARN", reboot.id(), "is not a temporary queue",
                "not answered, not acted on"), LogCapture.of(NodeEndpoint.class).lines().toString());
        for (Request request : List.of(reboot, ping)) {
            com.fasterxml.jackson.databind.JsonNode line = auditLine(request.id());
            assertEquals("refused", line.path("decision").asText(), line.toString());
            assertTrue(line.path("reply").isNull(), "nothing was sent: " + line);
            assertTrue(line.path("message").asText().contains("is not a temporary queue"), line.toString());
            assertEquals("tester", line.path("claimed_caller").asText(), "not verified, since not checked: " + line);
        }
    }

    @Test
    void ttlOverTheLimitIsInvalidAndNamesTheLimitWhichIsShorterForReboot() throws Exception {
        makePending();
        startNode();
        Request tooLong = new Request(UUID.randomUUID().toString(), "orch", Action.REBOOT, null, Map.of(), "tester",
                "junit", Instant.now(), Limits.MAX_REBOOT_TTL_SECONDS + 1);
        Request longest = new Request(UUID.randomUUID().toString(), "orch", Action.PING, null, null, "tester",
                "junit", Instant.now(), Limits.MAX_TTL_SECONDS);

        Reply refused = ask(nodeTopic(), tooLong);
        Reply answered = ask(nodeTopic(), longest);

        assertEquals(ReplyStatus.INVALID, refused.status(), refused.message());
        assertEquals("ttl_s 301 is over the limit of 300s for reboot", refused.message());
        assertEquals(ReplyStatus.OK, answered.status(), answered.message());
        assertNoRebootStarted();
    }

    @Test
    void repeatedRequestIdIsDeniedAndTheNodeActsOnlyOnce() throws Exception {
        makePending();
        startNode();
        Request reboot = request(Action.REBOOT, null, Map.of());
        assertEquals(ReplyStatus.SCHEDULED, ask(nodeTopic(), reboot).status());

        send(nodeTopic(), client.createTextMessage(signed(nodeTopic(), reboot)), reboot.id(), true);

        List<Reply> answers = eventually().until(() -> replies.stream()
                .filter(r -> r.requestId().equals(reboot.id())).toList(), l -> l.size() == 2);
        assertEquals(ReplyStatus.DENIED, answers.get(1).status(), answers.get(1).message());
        assertEquals("duplicate request id", answers.get(1).message());
        assertStillServing();
        assertEquals(1, executor.plans.size(), executor.plans.toString());
        assertEquals(1, events.stream().filter(e -> e.type() == EventType.REBOOTING).count(), events.toString());
    }

    @Test
    void scheduledReplyExpiresWithTheRequestWhileOtherRepliesLiveTwoMinutes() throws Exception {
        makePending();
        startNode();
        Request reboot = request(Action.REBOOT, null, Map.of());
        Request ping = request(Action.PING, null, null);

        assertEquals(ReplyStatus.SCHEDULED, ask(nodeTopic(), reboot).status());
        long pingSent = System.currentTimeMillis();
        assertEquals(ReplyStatus.OK, ask(nodeTopic(), ping).status());
        long pingAnswered = System.currentTimeMillis();

        // ttl 60 s plus the default allowed skew of 30 s
        long actBefore = reboot.createdAt().plusSeconds(90).toEpochMilli();
        long scheduledExpiry = replyExpirations.get(reboot.id());
        assertTrue(Math.abs(scheduledExpiry - actBefore) < 2_000, scheduledExpiry + " vs " + actBefore);
        long pingExpiry = replyExpirations.get(ping.id());
        assertTrue(pingExpiry >= pingSent + 120_000 - 1_000 && pingExpiry <= pingAnswered + 120_000 + 1_000,
                Long.toString(pingExpiry - pingSent));
    }

    @Test
    void scheduledReplyConfirmedAfterTheRequestExpiredIsNotActedOnAndReportedAsRebootFailed() throws Exception {
        makePending();
        startNode();
        Request reboot = request(Action.REBOOT, null, Map.of());
        // The broker holds the reply while an hour passes on the node.
        onBrokerSend = m -> {
            if (reboot.id().equals(m.getCorrelationId()) && m.getDestination().isTemporary()) {
                nodeClock.shift(Duration.ofHours(1));
            }
        };

        assertEquals(ReplyStatus.SCHEDULED, ask(nodeTopic(), reboot).status());

        Event failed = event(EventType.REBOOT_FAILED, reboot.id());
        assertTrue(WireData.of(failed).get("error").toString().contains("request expired at "), WireData.of(failed).toString());
        nodeClock.shift(Duration.ZERO);
        assertStillServing();
        assertNoRebootStarted();
        assertTrue(LogCapture.of(NodeEndpoint.class).contains("WARN", reboot.id(), "not acting on it"));
        for (String file : List.of("audit.jsonl", "audit-reboots.jsonl")) {
            com.fasterxml.jackson.databind.JsonNode line = audited(file, reboot.id()).orElseThrow();
            assertEquals("refused", line.path("decision").asText(), file + ": " + line);
            assertEquals("scheduled", line.path("reply").asText(), "the reply went out: " + line);
            assertTrue(line.path("message").asText().startsWith("request expired at "), line.toString());
        }
    }

    @Test
    void scheduledReplyTheBrokerRefusesIsNotActedOnAndReportedAsRebootFailed() throws Exception {
        makePending();
        startNode();
        Request reboot = request(Action.REBOOT, null, Map.of());
        onBrokerSend = m -> {
            if (reboot.id().equals(m.getCorrelationId()) && m.getDestination().isTemporary()) {
                throw new IllegalStateException("refused by the test broker");
            }
        };

        send(nodeTopic(), client.createTextMessage(signed(nodeTopic(), reboot)), reboot.id(), true);

        Event failed = event(EventType.REBOOT_FAILED, reboot.id());
        assertTrue(WireData.of(failed).get("error").toString().startsWith("scheduled reply not confirmed by the broker: "),
                WireData.of(failed).toString());
        onBrokerSend = null;
        assertStillServing();
        assertTrue(replies.stream().noneMatch(r -> r.requestId().equals(reboot.id())), replies.toString());
        assertNoRebootStarted();
        for (String file : List.of("audit.jsonl", "audit-reboots.jsonl")) {
            com.fasterxml.jackson.databind.JsonNode line = audited(file, reboot.id()).orElseThrow();
            assertEquals("refused", line.path("decision").asText(), file + ": " + line);
            assertEquals("scheduled", line.path("reply").asText(), line.toString());
            assertFalse(line.path("reply_confirmed").asBoolean(true), "the broker refused the reply: " + line);
            assertTrue(line.path("message").asText().startsWith("scheduled reply not confirmed by the broker: "),
                    line.toString());
            assertEquals(TestTrust.OPERATOR, line.path("caller").asText(), line.toString());
        }
    }

    @Test
    void rebootThreadThatRefusesTheTaskIsReportedAsRebootFailed() throws Exception {
        makePending();
        rebootThread = task -> {
            throw new RejectedExecutionException("reboot thread is shut down");
        };
        startNode();
        Request reboot = request(Action.REBOOT, null, Map.of());

        assertEquals(ReplyStatus.SCHEDULED, ask(nodeTopic(), reboot).status());

        Event failed = event(EventType.REBOOT_FAILED, reboot.id());
        assertTrue(WireData.of(failed).get("error").toString().contains("reboot thread is shut down"),
                WireData.of(failed).toString());
        assertStillServing();
        assertNoRebootStarted();
    }

    @Test
    void forcedRebootIsDeniedUnlessTheNodeConfigAllowsForce() throws Exception {
        startNode();

        Reply reply = ask(nodeTopic(), request(Action.REBOOT, null, Map.of("when", "refreshed", "force", true)));

        assertEquals(ReplyStatus.DENIED, reply.status(), reply.message());
        assertTrue(reply.message().contains("set reboot.allow_force: true"), reply.message());
        assertStillServing();
        assertNoRebootStarted();
    }

    @Test
    void forcedRebootOnANodeThatAllowsForceIsScheduledWithNothingPending() throws Exception {
        allowForce = true;
        startNode();

        Reply reply = ask(nodeTopic(), request(Action.REBOOT, null, Map.of("when", "refreshed", "force", true)));

        assertEquals(ReplyStatus.SCHEDULED, reply.status(), reply.message());
        assertTrue(reply.message().startsWith("reboot in 60s (forced)"), reply.message());
        eventually().until(() -> executor.plans.size() == 1);
    }

    @Test
    void logOnlyExecutorAnswersNoopSaysHowToRebootForRealAndAnnouncesNothing() throws Exception {
        makePending();
        nodeExecutor = ResponderWiring.executor(ResponderConfig.defaults().reboot());
        startNode();
        Request reboot = request(Action.REBOOT, null, Map.of());

        Reply reply = ask(nodeTopic(), reboot);

        assertEquals(ReplyStatus.NOOP, reply.status(), reply.message());
        assertEquals("would reboot in 60s (reboot_required); executor is 'log': set reboot.executor: system in "
                + "the node config to reboot for real", reply.message());
        assertEquals("would_reboot", resource(reply).get("outcome"));
        assertStillServing();
        assertTrue(events.stream().noneMatch(e -> e.type() == EventType.REBOOTING), events.toString());
        assertTrue(log.contains("WARN", reboot.id(), "NOT rebooting", "would run: shutdown -r +1"),
                log.lines().toString());
    }

    @Test
    void statusOfANodeThatDoesNotMatchIsNotMatchedWhenAskedDirectlyAndOkOnTheBroadcast() throws Exception {
        startNode();

        Reply direct = ask(nodeTopic(), request(Action.STATUS, PENDING_ONLY, null));
        Reply broadcast = ask("orch.broadcast", request(Action.STATUS, PENDING_ONLY, null));

        assertEquals(ReplyStatus.NOT_MATCHED, direct.status(), direct.message());
        assertFalse(direct.matched());
        assertEquals(ReplyStatus.OK, broadcast.status(), broadcast.message());
        assertFalse(broadcast.matched());
        assertEquals("not matched", broadcast.message());
    }

    // ------------------------------------------------------------------------------------------ bad input

    @Test
    void staleRequestIsAnsweredExpiredAndNeverReboots() throws Exception {
        makePending();
        startNode();
        Request stale = new Request(UUID.randomUUID().toString(), "orch", Action.REBOOT, null, null, "tester",
                "junit", Instant.now().minus(Duration.ofHours(1)), 60);

        Reply reply = ask(nodeTopic(), stale);

        assertEquals(ReplyStatus.EXPIRED, reply.status());
        assertTrue(reply.message().startsWith("request expired "), reply.message());
        assertStillServing();
        assertEquals(List.of(), executor.plans);
        assertTrue(log.contains("WARN", stale.id(), "not acted on"), log.lines().toString());
    }

    /** Makes the message under test; a signed one is routed to {@code target} with replies to {@code replyTo}. */
    interface MessageMaker {
        Message make(Session session, String target, String replyTo) throws JMSException;
    }

    static MessageMaker text(String body) {
        return (s, target, replyTo) -> s.createTextMessage(body);
    }

    /** {@code request} routed and signed by the tests' operator: it gets past the signature check. */
    static MessageMaker signedText(Request request) {
        return (s, target, replyTo) -> s.createTextMessage(TestTrust.shared().operatorSealer().seal(
                SecureEnvelope.Kind.REQUEST, new Codec().encodeInnerRequest(request.routed(target, replyTo))));
    }

    /** A reboot request with id BAD_ID changed by {@code change}, routed and signed: it gets past the signature check. */
    static MessageMaker signedRebootWith(Consumer<ObjectNode> change) {
        return (s, target, replyTo) -> {
            String envelope = rebootWith(n -> {
                n.put("target", target);
                n.put("reply_to", replyTo);
                change.accept(n);
            });
            try {
                String inner = new ObjectMapper().readTree(envelope).get("request").asText();
                return s.createTextMessage(TestTrust.shared().operatorSealer().seal(SecureEnvelope.Kind.REQUEST, inner));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    static MessageMaker bytes(String body) {
        return (s, target, replyTo) -> {
            BytesMessage m = s.createBytesMessage();
            m.writeBytes(body.getBytes(StandardCharsets.UTF_8));
            return m;
        };
    }

    /** A reboot request with id BAD_ID, changed by {@code change}, in a valid envelope. */
    static String rebootWith(Consumer<ObjectNode> change) {
        ObjectMapper json = new ObjectMapper();
        try {
            Request valid = new Request(BAD_ID, "orch", Action.REBOOT, null, Map.of(), "tester", "junit",
                    Instant.now(), 300);
            ObjectNode inner = (ObjectNode) json.readTree(new Codec().encodeInnerRequest(valid));
            change.accept(inner);
            ObjectNode outer = json.createObjectNode();
            outer.put("protocol", "orch.secure.v1");
            outer.put("request", inner.toString());
            return outer.toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> badInput() {
        String oversize = rebootWith(n -> n.put("padding", "x".repeat(Limits.MAX_BODY_BYTES)));
        String bare = rebootWith(n -> { });
        try {
            bare = new ObjectMapper().readTree(bare).get("request").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        // what, message, id the reply answers (null: the correlation id), status, words in the reply, logged
        return Stream.of(
                arguments("malformed JSON", text("{\"protocol\":\"orch.secure.v1\","), null, ReplyStatus.INVALID,
                        "malformed JSON", true),
                arguments("malformed JSON as bytes", bytes("{{{"), null, ReplyStatus.INVALID, "malformed JSON", true),
                arguments("JSON that is not an object", text("[\"reboot\"]"), null, ReplyStatus.INVALID,
                        "not a JSON object", true),
                arguments("empty text", text(""), null, ReplyStatus.INVALID, "empty", true),
                arguments("request without envelope", text(bare), null, ReplyStatus.INVALID,
                        "wrap the request in a orch.secure.v1 envelope", true),
                arguments("unknown envelope version", text("{\"protocol\":\"orch.secure.v9\",\"request\":\"{}\"}"),
                        null, ReplyStatus.INVALID, "unsupported envelope protocol 'orch.secure.v9'", true),
                arguments("unknown request version", text(rebootWith(n -> n.put("protocol", "orch.request.v2"))),
                        BAD_ID, ReplyStatus.INVALID, "unsupported request protocol 'orch.request.v2'; this node "
                                + "speaks 'orch.request.v1'", true),
                arguments("ttl_s as a string", text(rebootWith(n -> n.put("ttl_s", "300"))), BAD_ID,
                        ReplyStatus.INVALID, "'ttl_s' must be a positive whole number, got string", true),
                arguments("action as a number", text(rebootWith(n -> n.put("action", 4))), BAD_ID,
                        ReplyStatus.INVALID, "'action' must be a string, got number", true),
                arguments("unknown action", text(rebootWith(n -> n.put("action", "halt"))), BAD_ID,
                        ReplyStatus.INVALID, "unknown action 'halt'", true),
                arguments("filter.fact not an array", text(rebootWith(n -> n.putObject("filter")
                        .put("fact", "reboot_pending=true"))), BAD_ID, ReplyStatus.INVALID,
                        "'filter.fact' must be an array of strings", true),
                arguments("params not an object", text(rebootWith(n -> n.putArray("params").add("noop"))), BAD_ID,
                        ReplyStatus.INVALID, "'params' must be an object, got array", true),
                arguments("filter with a broken regex", signedRebootWith((n -> n.putObject("filter").putArray("fact")
                        .add("os.family=~/[/"))), BAD_ID, ReplyStatus.INVALID, "regex", true),
                arguments("oversize text", text(oversize), null, ReplyStatus.INVALID,
                        "over the limit of " + Limits.MAX_BODY_BYTES + " bytes", true),
                arguments("oversize bytes", bytes(oversize), null, ReplyStatus.INVALID,
                        "over the limit of " + Limits.MAX_BODY_BYTES + " bytes", true),
                arguments("java object message", (MessageMaker) (s, target, replyTo) -> s.createObjectMessage("reboot"), null,
                        ReplyStatus.INVALID, "unsupported message type", true),
                arguments("negative delay", signedRebootWith(n -> n.putObject("params").put("delay_s", -5)), BAD_ID,
                        ReplyStatus.INVALID, "param 'delay_s' must be between 0", false),
                arguments("stale request", signedText((new Request(BAD_ID, "orch", Action.REBOOT, null, null, null,
                        null, Instant.now().minus(Duration.ofHours(1)), 60))), BAD_ID, ReplyStatus.EXPIRED,
                        "request expired", true),
                arguments("request from the future", signedText((new Request(BAD_ID, "orch", Action.REBOOT, null,
                        null, null, null, Instant.now().plus(Duration.ofHours(1)), 60))), BAD_ID, ReplyStatus.EXPIRED,
                        "in the future", true),
                arguments("request for another collective", signedText((new Request(BAD_ID, "staging",
                        Action.REBOOT, null, null, null, null, Instant.now(), 300))), BAD_ID, ReplyStatus.INVALID,
                        "request is for collective 'staging'", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void badInputIsAnsweredAndLoggedAndNeverRebootsAndTheNodeKeepsServing(String what, MessageMaker maker,
            String answeredId, ReplyStatus status, String says, boolean logged) throws Exception {
        makePending();
        startNode();
        String correlationId = "corr-" + UUID.randomUUID();
        String expectedId = answeredId == null ? correlationId : answeredId;

        send(nodeTopic(), maker.make(client, identity, replyTo.getQueueName()), correlationId, true);

        Reply reply = replyTo(expectedId);
        assertEquals(status, reply.status(), reply.message());
        assertTrue(reply.message().contains(says), reply.message());
        assertEquals(identity, reply.node());
        assertStillServing();
        assertEquals(List.of(), executor.plans);
        assertTrue(events.stream().noneMatch(e -> e.type() == EventType.REBOOTING));
        if (logged) {
            assertTrue(log.contains("WARN", expectedId), log.lines().toString());
        }
    }

    @Test
    void messageWithoutReplyToIsLoggedAndNeitherAnsweredNorActedOn() throws Exception {
        makePending();
        startNode();
        Request ping = request(Action.PING, null, null);
        Request reboot = request(Action.REBOOT, null, Map.of());

        send(nodeTopic(), client.createTextMessage(signed(nodeTopic(), ping)), ping.id(), false);
        send(nodeTopic(), client.createTextMessage(signed(nodeTopic(), reboot)), reboot.id(), false);
        send(nodeTopic(), client.createTextMessage("{not json"), "corr-no-reply", false);

        assertStillServing();
        assertTrue(replies.stream().noneMatch(r -> r.requestId().equals(ping.id())
                || r.requestId().equals(reboot.id()) || r.requestId().equals("corr-no-reply")), replies.toString());
        assertEquals(List.of(), executor.plans, "a reboot nobody was told about is a surprise reboot");
        LogCapture endpointLog = LogCapture.of(NodeEndpoint.class);
        for (String id : List.of(ping.id(), reboot.id(), "corr-no-reply")) {
            assertTrue(endpointLog.contains("WARN", id, "no reply destination"), endpointLog.lines().toString());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> resource(Reply reply) {
        return (Map<String, Object>) WireData.of(reply).get("resource");
    }

    /** The system clock, moved on by a test to make time pass on the node. */
    static final class OffsetClock extends Clock {
        private volatile Duration offset = Duration.ZERO;

        void shift(Duration by) {
            offset = by;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }

    /** Records every plan instead of rebooting. */
    static final class RecordingExecutor implements RebootExecutor {
        final List<RebootPlan> plans = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void reboot(RebootPlan plan) {
            plans.add(plan);
        }

        @Override
        public String describe(RebootPlan plan) {
            return "recorded by the test";
        }
    }
}
