package io.orch.responder;

import static io.orch.responder.BusClient.eventually;
import static io.orch.responder.Fixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orch.protocol.Limits;
import io.orch.protocol.bus.Destinations;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.EventType;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.envelope.SecureEnvelope;
import io.orch.protocol.filter.FilterSpec;
import io.orch.responder.audit.FileAuditLog;
import io.orch.responder.bus.NodeEndpoint;
import io.orch.responder.config.ResponderConfig;
import io.orch.responder.config.ResponderWiring;
import io.orch.responder.executor.RebootExecutor;
import io.orch.responder.executor.RebootPlan;
import io.orch.responder.node.Responder;
import io.orch.trust.Sealer;
import jakarta.jms.Connection;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.activemq.broker.BrokerFilter;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.ProducerBrokerExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's audit on a real broker: the line of each request says what the node finally did,
 * written once the endpoint knew (a reboot it did not carry out is {@code refused}, never
 * {@code scheduled}), and a flood of large requests leaves the last reboot decision findable.
 */
class AuditOverBrokerTest {
    private static final Codec CODEC = new Codec();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IDENTITY = "audit01.test";
    private static final String TOPIC = "orch.node." + IDENTITY;

    @TempDir
    Path dir;

    private BrokerService broker;
    /** Sees every message the broker receives before routing it; may throw to refuse it. */
    private volatile Consumer<org.apache.activemq.command.Message> onBrokerSend;
    private Connection nodeConnection;
    private NodeEndpoint endpoint;
    private BusClient client;
    private final List<RebootPlan> plans = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void brokerAndNode() throws Exception {
        broker = BusClient.newBroker("audit-test");
        BrokerPlugin schemas = broker.getPlugins()[0];
        broker.setPlugins(new BrokerPlugin[] {schemas, next -> new BrokerFilter(next) {
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
        String url = BusClient.url(broker);

        Path root = dir.resolve("root");
        write(root, "etc/os-release", "NAME=\"Debian GNU/Linux\"\nID=debian\nVERSION_ID=\"12\"\n");
        write(root, "proc/sys/kernel/osrelease", "6.1.0-10-amd64\n");
        write(root, "proc/sys/kernel/random/boot_id", "7d1f0c2a-3b4e-4f5a-8b6c-9d0e1f2a3b4c\n");
        write(root, "proc/uptime", "3600.25 7000.00\n");
        write(root, "run/reboot-required", "*** System restart required ***\n");
        ResponderConfig config = new ResponderConfig(IDENTITY, "orch", null,
                new ResponderConfig.Facts(root.toString(), List.of()), null,
                new ResponderConfig.Reboot("command", null, null, false, null, List.of(), 0, 0,
                        state().toString()), null);
        RebootExecutor recording = new RebootExecutor() {
            @Override
            public void reboot(RebootPlan plan) {
                plans.add(plan);
            }

            @Override
            public String describe(RebootPlan plan) {
                return "recorded by the test";
            }
        };
        nodeConnection = BusClient.factory(url).createConnection();
        nodeConnection.start();
        var security = TestTrust.shared().node(IDENTITY);
        endpoint = NodeEndpoint.open(nodeConnection, new Destinations("orch"), new Codec(), security.sealer());
        Responder responder = ResponderWiring.responder(config, ResponderWiring.facts(config, Clock.systemUTC()),
                recording, Runnable::run, endpoint, Clock.systemUTC(), security);
        endpoint.serve(responder);
        client = BusClient.connect(url);
    }

    @AfterEach
    void stop() throws Exception {
        onBrokerSend = null;
        if (rawConnection != null) {
            rawConnection.close();
        }
        client.close();
        endpoint.close();
        nodeConnection.close();
        BusClient.stopAndCheck(broker);
        LogCapture.of(FileAuditLog.SYSTEM_LOG).clear();
    }

    private Path state() {
        return dir.resolve("state");
    }

    private static Request request(Action action, FilterSpec filter) {
        return Request.create("orch", action, filter, Map.of(), "tester", "junit", Instant.now(), Duration.ofSeconds(60));
    }

    /** Every line of {@code name} and its older generations. */
    private List<JsonNode> audit(String name) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (int n = 0; n == 0 || Files.exists(state().resolve(name + "." + n)); n++) {
            Path file = n == 0 ? state().resolve(name) : state().resolve(name + "." + n);
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file)) {
                    assertTrue(line.getBytes(StandardCharsets.UTF_8).length + 1 <= Limits.MAX_AUDIT_LINE_BYTES,
                            "line of " + line.length() + " chars in " + file);
                    lines.add(JSON.readTree(line));
                }
            }
        }
        return lines;
    }

    private Optional<JsonNode> line(String name, String requestId) throws IOException {
        List<JsonNode> found = audit(name).stream().filter(l -> requestId.equals(l.path("request_id").asText())).toList();
        assertTrue(found.size() <= 1, "one line per request in " + name + ": " + found);
        return found.stream().findFirst();
    }

    /** A ping answered also proves that the node handled (and audited) everything sent before it. */
    private void assertStillServing() throws Exception {
        Reply pong = client.ask(TOPIC, request(Action.PING, null));
        assertEquals(ReplyStatus.OK, pong.status(), pong.message());
    }

    @Test
    void aRefusedRebootsAuditLineSaysRefused() throws Exception {
        // 1. Reply-to a topic, and signed so: only the temporary-queue rule refuses it. No reply, no reboot.
        Request toTopic = request(Action.REBOOT, null);
        Destination topic = session().createTopic("orch.some.replies");
        sendRaw(TOPIC, TestTrust.shared().operatorSealer().seal(SecureEnvelope.Kind.REQUEST,
                CODEC.encodeInnerRequest(toTopic.routed(IDENTITY, "orch.some.replies"))), toTopic.id(), topic);
        // 2. The broker refuses the scheduled reply (as it does when the requester's queue is gone).
        Request unconfirmed = request(Action.REBOOT, null);
        onBrokerSend = m -> {
            if (unconfirmed.id().equals(m.getCorrelationId()) && m.getDestination().isTemporary()) {
                throw new IllegalStateException("refused by the test broker");
            }
        };
        client.send(TOPIC, unconfirmed);
        client.event(EventType.REBOOT_FAILED, unconfirmed.id());
        onBrokerSend = null;
        assertStillServing();

        for (Request refused : List.of(toTopic, unconfirmed)) {
            JsonNode line = line(FileAuditLog.FILE_NAME, refused.id()).orElseThrow();
            assertEquals("refused", line.path("decision").asText(), line.toString());
            assertEquals("reboot", line.path("action").asText());
        }
        JsonNode toTopicLine = line(FileAuditLog.FILE_NAME, toTopic.id()).orElseThrow();
        assertTrue(toTopicLine.path("reply").isNull(), "no reply was sent: " + toTopicLine);
        assertTrue(toTopicLine.path("message").asText().contains("is not a temporary queue"));
        // The reply was sent but not confirmed: kept, marked so, and still among the promises.
        for (String file : List.of(FileAuditLog.FILE_NAME, FileAuditLog.DECISIONS_FILE_NAME)) {
            JsonNode unconfirmedLine = line(file, unconfirmed.id()).orElseThrow();
            assertEquals("scheduled", unconfirmedLine.path("reply").asText(), unconfirmedLine.toString());
            assertFalse(unconfirmedLine.path("reply_confirmed").asBoolean(true), unconfirmedLine.toString());
            assertTrue(unconfirmedLine.path("message").asText().startsWith("scheduled reply not confirmed by the broker"),
                    unconfirmedLine.toString());
            assertEquals(TestTrust.OPERATOR, unconfirmedLine.path("caller").asText());
        }
        assertTrue(line(FileAuditLog.REFUSALS_FILE_NAME, unconfirmed.id()).isEmpty(), "a promise, not a refusal");
        assertTrue(audit(FileAuditLog.FILE_NAME).stream().noneMatch(l -> "scheduled".equals(l.path("decision").asText())),
                "nothing was scheduled: " + audit(FileAuditLog.FILE_NAME));
        assertEquals(List.of(), plans);

        // Control: the same node, a proper reboot, audited as scheduled (in both files) and carried out.
        Request proper = request(Action.REBOOT, null);
        assertEquals(ReplyStatus.SCHEDULED, client.ask(TOPIC, proper).status());
        eventually().until(() -> plans.size() == 1);
        assertEquals("scheduled", line(FileAuditLog.FILE_NAME, proper.id()).orElseThrow().path("decision").asText());
        assertEquals("scheduled", line(FileAuditLog.DECISIONS_FILE_NAME, proper.id()).orElseThrow()
                .path("decision").asText());
    }

    private Connection rawConnection;
    private Session rawSession;
    private MessageProducer rawProducer;

    private Session session() throws Exception {
        if (rawSession == null) {
            rawConnection = BusClient.factory(BusClient.url(broker)).createConnection();
            rawConnection.start();
            rawSession = rawConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            rawProducer = rawSession.createProducer(null);
        }
        return rawSession;
    }

    private void sendRaw(String topic, String body, String correlationId, Destination replyTo) throws Exception {
        TextMessage message = session().createTextMessage(body);
        message.setJMSCorrelationID(correlationId);
        message.setJMSReplyTo(replyTo);
        rawProducer.send(session().createTopic(topic), message);
    }

    /**
     * A filter that matches the node (its identity first) padded with other identities until the
     * sealed request is just under the body limit: every request of the flood costs the node a
     * full parse, and the audit the longest line it writes.
     */
    private static FilterSpec largeFilter(Sealer sealer) {
        List<String> identities = new ArrayList<>(List.of(IDENTITY));
        String pad = "x".repeat(200);
        int target = Limits.MAX_BODY_BYTES - 4 * 1024;
        int step = 256;
        while (step > 0) {
            List<String> more = new ArrayList<>(identities);
            for (int i = 0; i < step; i++) {
                more.add("pad-" + more.size() + "-" + pad);
            }
            FilterSpec filter = new FilterSpec(List.of(), more, null);
            Request sample = request(Action.REBOOT, filter).routed(IDENTITY, "ID:sample-queue-name-of-some-length:1:1");
            int size = sealer.seal(SecureEnvelope.Kind.REQUEST, CODEC.encodeInnerRequest(sample))
                    .getBytes(StandardCharsets.UTF_8).length;
            if (size <= target) {
                identities = more;
            } else {
                step /= 2;
            }
        }
        return new FilterSpec(List.of(), identities, null);
    }

    @Test
    void aFloodOfTenThousandLargeRequestsLeavesTheLastRebootDecisionInTheAudit() throws Exception {
        Request reboot = request(Action.REBOOT, null);
        assertEquals(ReplyStatus.SCHEDULED, client.ask(TOPIC, reboot).status());
        eventually().until(() -> plans.size() == 1);

        FilterSpec large = largeFilter(TestTrust.shared().operatorSealer());
        int bodyBytes = client.sealed(TOPIC, request(Action.PING, large)).getBytes(StandardCharsets.UTF_8).length;
        assertTrue(bodyBytes > Limits.MAX_BODY_BYTES - 8 * 1024 && bodyBytes <= Limits.MAX_BODY_BYTES,
                bodyBytes + " bytes");
        int flood = Integer.getInteger("flood", 10_000);
        int window = 64;
        List<Action> kinds = List.of(Action.PING, Action.DISCOVER, Action.STATUS, Action.REBOOT);
        client.replies.clear();
        long started = System.nanoTime();
        List<String> inFlight = new ArrayList<>();
        for (int i = 0; i < flood; i++) {
            Action action = kinds.get(i % kinds.size());
            Request request = request(action, large);
            client.send(action == Action.PING || action == Action.DISCOVER ? "orch.broadcast" : TOPIC, request);
            inFlight.add(request.id());
            if (inFlight.size() == window || i == flood - 1) {
                // Bounded in flight: the flood measures the node and its audit, not the broker's buffers.
                int expected = inFlight.size();
                eventually().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                        .until(() -> client.replies.size() >= expected);
                assertEquals(java.util.Set.copyOf(inFlight), client.replies.stream().map(Reply::requestId)
                        .collect(java.util.stream.Collectors.toSet()), "one reply to each");
                inFlight.clear();
                client.replies.clear();
                LogCapture.of(FileAuditLog.SYSTEM_LOG).clear(); // the test's capture of the journal copy, bounded
            }
        }
        long floodMs = (System.nanoTime() - started) / 1_000_000;
        // The flood used up the operator's rate (the node answers it denied); another caller is still
        // answered, which also proves the node handled everything before (any certificate of the CA may ping).
        client.signingWith(Sealer.signing(new Codec(), TestTrust.shared().credentials("observer")));
        Reply after = client.ask(TOPIC, request(Action.PING, null));
        assertEquals(ReplyStatus.OK, after.status(), after.message());
        client.signingWith(TestTrust.shared().operatorSealer());

        JsonNode kept = line(FileAuditLog.DECISIONS_FILE_NAME, reboot.id())
                .orElseThrow(() -> new AssertionError("the reboot decision is gone from "
                        + FileAuditLog.DECISIONS_FILE_NAME));
        assertEquals("scheduled", kept.path("decision").asText(), kept.toString());
        assertEquals(TestTrust.OPERATOR, kept.path("caller").asText());
        assertEquals(List.of(reboot.id()), audit(FileAuditLog.DECISIONS_FILE_NAME).stream()
                .map(l -> l.path("request_id").asText()).toList(), "the flood's refused reboots are not promises");
        assertFalse(audit(FileAuditLog.REFUSALS_FILE_NAME).isEmpty(), "they are in their own file");
        List<JsonNode> all = audit(FileAuditLog.FILE_NAME);
        long flooded = all.stream().filter(l -> l.path("truncated").asBoolean()).count();
        assertTrue(flooded >= flood, "every flood request has its (cut) line: " + flooded);
        assertEquals(1, plans.size(), "the flood rebooted nothing more");
        long auditBytes = 0;
        try (var files = Files.list(state())) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("audit")).toList()) {
                auditBytes += Files.size(file);
            }
        }
        System.out.printf("flood: %d requests of %d bytes in %d ms (%.0f/s); audit files %d bytes, %d lines; "
                        + "reboot decision in %s: %s, in %s: %s%n", flood, bodyBytes, floodMs, flood * 1000.0 / floodMs,
                auditBytes, all.size(), FileAuditLog.DECISIONS_FILE_NAME, true, FileAuditLog.FILE_NAME,
                line(FileAuditLog.FILE_NAME, reboot.id()).isPresent());
        assertFalse(all.isEmpty());
    }
}
