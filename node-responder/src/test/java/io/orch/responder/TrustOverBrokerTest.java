package io.orch.responder;

import static io.orch.responder.BusClient.eventually;
import static io.orch.responder.Fixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orch.protocol.bus.Destinations;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.EventType;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.envelope.SecureEnvelope;
import io.orch.responder.bus.NodeEndpoint;
import io.orch.responder.config.ResponderConfig;
import io.orch.responder.config.ResponderWiring;
import io.orch.responder.executor.RebootExecutor;
import io.orch.responder.executor.RebootPlan;
import io.orch.responder.node.Responder;
import io.orch.responder.policy.PolicySource;
import io.orch.responder.security.NodeSecurity;
import io.orch.trust.Credentials;
import io.orch.trust.LocalCa;
import io.orch.trust.Pem;
import io.orch.trust.Sealer;
import io.orch.trust.SecuritySettings;
import io.orch.trust.Signatures;
import io.orch.trust.SiteCa;
import io.orch.trust.Verifier;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 9's "must hold" list for the node, on a real broker over loopback: whoever cannot prove
 * who they are, or may not do what they ask, gets a precise refusal, an audit line that credits
 * only a verified signer, and no reboot. Every node here has a reboot pending and an executor
 * that only records, so a request that got through would show as a recorded plan; the positive
 * controls prove that it would.
 *
 * <p>Nodes (one broker, started once):
 * <ul>
 *   <li>{@code web01}: the tests' policy (the operator may do everything), a CRL revoking one operator certificate;
 *   <li>{@code plain01}: no policy file (the default policy);
 *   <li>{@code pol01}: only alice may reboot (not force), bob may reboot and force; allow_force on;
 *   <li>{@code win01}: a fixed clock, a maintenance window that is closed at it.
 * </ul>
 */
class TrustOverBrokerTest {
    private static final String OPERATOR = TestTrust.OPERATOR;
    private static final String BOOT_ID = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Codec CODEC = new Codec();
    private static final TestTrust TRUST = TestTrust.shared();

    @TempDir
    static Path dir;

    private static BrokerService broker;
    private static String brokerUrl;
    /** An operator certificate of the site's CA that web01's CRL revokes. */
    private static LocalCa.Issued revokedOperator;
    /** The node's clock for win01, and the window it has closed at that clock. */
    private static Instant winNow;
    private static Instant winOpens;
    private static String winStart;

    private static Node web01;
    private static Node plain01;
    private static Node pol01;
    private static Node win01;

    private BusClient client;

    /** Records plans and cancels instead of rebooting: empty lists are "0 reboots". */
    static final class Recording implements RebootExecutor {
        final List<RebootPlan> plans = Collections.synchronizedList(new ArrayList<>());
        final List<RebootPlan> cancels = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void reboot(RebootPlan plan) {
            plans.add(plan);
        }

        @Override
        public void cancel(RebootPlan plan) {
            cancels.add(plan);
        }

        @Override
        public String describe(RebootPlan plan) {
            return "recorded by the test";
        }
    }

    @FunctionalInterface
    interface SecurityFor {
        NodeSecurity make(ResponderConfig config) throws Exception;
    }

    /** One responder on the broker, wired as orch-responder wires it, on a fixture root with a reboot pending. */
    static final class Node {
        final String identity;
        final String collective;
        final Path root;
        final Path state;
        final Clock clock;
        final SecurityFor securityFor;
        final Recording executor = new Recording();
        boolean allowForce;
        NodeSecurity security;
        private Connection connection;
        private NodeEndpoint endpoint;

        Node(String identity, String collective, Clock clock, SecurityFor securityFor) {
            this.identity = identity;
            this.collective = collective;
            this.root = dir.resolve(identity).resolve("root");
            this.state = dir.resolve(identity).resolve("state");
            this.clock = clock;
            this.securityFor = securityFor;
            write(root, "etc/os-release", "NAME=\"Debian GNU/Linux\"\nID=debian\nVERSION_ID=\"12\"\n");
            write(root, "proc/sys/kernel/osrelease", "6.1.0-10-amd64\n");
            write(root, "proc/sys/kernel/random/boot_id", BOOT_ID + "\n");
            write(root, "proc/uptime", "3600.25 7000.00\n");
            // Pending: any request that got through the gate and the policy would reboot.
            write(root, "run/reboot-required", "*** System restart required ***\n");
        }

        ResponderConfig config() {
            return new ResponderConfig(identity, collective, null,
                    new ResponderConfig.Facts(root.toString(), List.of()),
                    new ResponderConfig.Pending(List.of("reboot_required")),
                    new ResponderConfig.Reboot("command", null, null, allowForce, null, List.of(), 0, 0,
                            state.toString()), null);
        }

        Node start() throws Exception {
            ResponderConfig config = config();
            security = securityFor.make(config);
            connection = BusClient.factory(brokerUrl).createConnection();
            connection.start();
            endpoint = NodeEndpoint.open(connection, new Destinations(collective), new Codec(), security.sealer());
            Responder responder = ResponderWiring.responder(config, ResponderWiring.facts(config, clock), executor,
                    Runnable::run, endpoint, clock, security);
            endpoint.serve(responder);
            return this;
        }

        void stop() throws Exception {
            if (endpoint != null) {
                endpoint.close();
            }
            if (connection != null) {
                connection.close();
            }
        }

        String topic() {
            return new Destinations(collective).node(identity);
        }

        /** A request created now by this node's clock, claiming to be from {@code caller}. */
        Request request(Action action, Map<String, Object> params, String caller) {
            return Request.create(collective, action, null, params, caller, "junit", clock.instant(),
                    Duration.ofSeconds(60));
        }

        Request request(Action action, Map<String, Object> params) {
            return request(action, params, OPERATOR);
        }

        /**
         * The one audit line of {@code requestId}. The node writes it once the reply has left, so
         * it may come a moment after the reply.
         */
        JsonNode auditLine(String requestId) throws Exception {
            List<JsonNode> lines = eventually().until(() -> auditLines(requestId), found -> !found.isEmpty());
            assertEquals(1, lines.size(), "audit lines of " + requestId + ": " + lines);
            return lines.get(0);
        }

        private List<JsonNode> auditLines(String requestId) throws Exception {
            List<JsonNode> lines = new ArrayList<>();
            Path file = state.resolve("audit.jsonl");
            if (!Files.exists(file)) {
                return lines;
            }
            for (String line : Files.readAllLines(file)) {
                JsonNode node = JSON.readTree(line);
                if (requestId.equals(node.path("request_id").asText())) {
                    lines.add(node);
                }
            }
            return lines;
        }
    }

    // ------------------------------------------------------------------------------------------ fixture

    @BeforeAll
    static void brokerAndNodes() throws Exception {
        broker = BusClient.startBroker("trust-test");
        brokerUrl = BusClient.url(broker);
        Codec codec = new Codec();

        revokedOperator = TRUST.ca().issue(OPERATOR, LocalCa.KeyType.EC, Duration.ofDays(1));
        SiteCa withCrl = SiteCa.of(List.of(TRUST.ca().certificate()),
                List.of(TRUST.ca().crl(revokedOperator.certificate())), "test CA with a CRL");
        web01 = new Node("web01", "orch", Clock.systemUTC(), config -> {
            Credentials own = TRUST.credentials("web01");
            Clock clock = Clock.systemUTC();
            return new NodeSecurity(Sealer.signing(codec, own), Verifier.of(withCrl, clock),
                    new PolicySource(TRUST.policyFile(), clock), own);
        }).start();

        Path noPolicy = dir.resolve("no-such-policy.yaml");
        plain01 = new Node("plain01", "orch", Clock.systemUTC(), config -> NodeSecurity.of(
                TRUST.credentials("plain01"), new PolicySource(noPolicy, Clock.systemUTC()), codec,
                Clock.systemUTC())).start();

        Path polPolicy = Files.writeString(dir.resolve("pol01-policy.yaml"), """
                rules:
                  - callers: [alice]
                    actions: [reboot]
                    any_time: true
                  - callers: [bob]
                    actions: [reboot, force]
                    any_time: true
                """);
        pol01 = new Node("pol01", "orch", Clock.systemUTC(), config -> NodeSecurity.of(
                TRUST.credentials("pol01"), new PolicySource(polPolicy, Clock.systemUTC()), codec,
                Clock.systemUTC()));
        pol01.allowForce = true; // only the policy stands between a forced reboot and the node
        pol01.start();

        winNow = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        winOpens = winNow.plus(Duration.ofHours(3));
        winStart = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).format(winOpens.atZone(ZoneOffset.UTC));
        Path winPolicy = Files.writeString(dir.resolve("win01-policy.yaml"), """
                maintenance_windows:
                  - start: "%s"
                    length: 1h
                    time_zone: UTC
                rules:
                  - callers: [%s]
                    actions: [reboot, force, cancel]
                  - callers: [alice]
                    actions: [reboot]
                    any_time: true
                """.formatted(winStart, OPERATOR));
        Clock winClock = Clock.fixed(winNow, ZoneOffset.UTC);
        win01 = new Node("win01", "orch", winClock, config -> NodeSecurity.of(TRUST.credentials("win01"),
                new PolicySource(winPolicy, winClock), codec, winClock)).start();
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (Node node : new Node[] {web01, plain01, pol01, win01}) {
            if (node != null) {
                node.stop();
            }
        }
        if (broker != null) {
            BusClient.stopAndCheck(broker);
        }
    }

    @BeforeEach
    void connect() throws Exception {
        client = BusClient.connect(brokerUrl);
        for (Node node : List.of(web01, plain01, pol01, win01)) {
            // "0 reboots" is per test: a test that let one through fails alone, not every test after it.
            node.executor.plans.clear();
            node.executor.cancels.clear();
        }
    }

    @AfterEach
    void disconnect() throws Exception {
        client.close();
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** {@code request} routed to {@code node} with this client's reply queue, as inner JSON. */
    private String inner(Node node, Request request) throws Exception {
        return CODEC.encodeInnerRequest(client.routed(node.topic(), request));
    }

    /** An envelope around {@code inner} signed with {@code key}, carrying {@code certificate} and naming {@code signer}. */
    private static String envelope(String inner, String signer, X509Certificate certificate, PrivateKey key)
            throws Exception {
        String signature = key == null ? null : Base64.getEncoder().encodeToString(
                Signatures.sign(key, inner.getBytes(StandardCharsets.UTF_8)));
        return CODEC.encodeEnvelope(new SecureEnvelope(SecureEnvelope.Kind.REQUEST, inner, signer,
                certificate == null ? null : Pem.text(certificate), signature));
    }

    /** {@code request} as {@code credentials} would send it to {@code node}. */
    private String sealedBy(Credentials credentials, Node node, Request request) throws Exception {
        return Sealer.signing(CODEC, credentials).seal(SecureEnvelope.Kind.REQUEST, inner(node, request));
    }

    /** Sends {@code body} on {@code node}'s topic and returns that node's reply to {@code requestId}. */
    private Reply send(Node node, String body, String requestId) throws Exception {
        client.sendBody(node.topic(), body, requestId);
        return replyFrom(node, requestId);
    }

    private Reply replyFrom(Node node, String requestId) {
        return eventually().until(() -> client.replies.stream().filter(r -> r.requestId().equals(requestId)
                && r.node().equals(node.identity)).findFirst(), Optional::isPresent).orElseThrow();
    }

    /** The params of a plain reboot: a node with a reboot pending carries it out, were it let through. */
    private static Map<String, Object> reboot() {
        return Map.of();
    }

    private static Map<String, Object> forced() {
        return Map.of("when", "refreshed", "force", true);
    }

    /**
     * The node refused {@code reply}'s request with {@code status} and a message holding {@code words},
     * audited it with the same decision and message, and never called its executor. {@code verified}:
     * the audit's caller (null: not verified, then {@code claimed} is the claim it keeps apart).
     */
    private void assertRefused(Node node, Reply reply, ReplyStatus status, String verified, String claimed,
                               String... words) throws Exception {
        assertEquals(status, reply.status(), reply.message());
        assertEquals(node.identity, reply.node());
        for (String word : words) {
            assertTrue(reply.message().contains(word), "'" + word + "' not in: " + reply.message());
        }
        assertAudited(node, reply, verified, claimed);
        assertNothingRebooted(node);
    }

    private static void assertAudited(Node node, Reply reply, String verified, String claimed) throws Exception {
        JsonNode line = node.auditLine(reply.requestId());
        assertEquals(reply.status().wireName(), line.path("decision").asText(), line.toString());
        assertEquals(reply.message(), line.path("message").asText(), line.toString());
        assertEquals(reply.action(), line.path("action").asText(), line.toString());
        if (verified != null) {
            assertEquals(verified, line.path("caller").asText(), line.toString());
            assertFalse(line.has("claimed_caller"), "a verified caller has no claim beside it: " + line);
        } else {
            assertTrue(line.has("caller") && line.get("caller").isNull(), "caller must be null: " + line);
            assertEquals(claimed, line.path("claimed_caller").asText(), line.toString());
        }
    }

    /**
     * The executor was never called. A ping answered first proves that the node has finished with
     * everything sent before it (one session: messages are handled in order, actions included).
     */
    private void assertNothingRebooted(Node node) throws Exception {
        Reply pong = client.ask(node.topic(), node.request(Action.PING, null));
        assertEquals(ReplyStatus.OK, pong.status(), pong.message());
        assertEquals(List.of(), node.executor.plans, "reboots of " + node.identity);
        assertEquals(List.of(), node.executor.cancels, "cancels on " + node.identity);
        assertTrue(client.events(EventType.REBOOTING).stream().noneMatch(e -> e.node().equals(node.identity)),
                client.events.toString());
    }

    /** The control: the operator's own noop reboot gets through on {@code node}, so a refusal is the check's doing. */
    private void assertOperatorGetsThrough(Node node) throws Exception {
        Request noop = node.request(Action.REBOOT, Map.of("noop", true));
        Reply reply = client.ask(node.topic(), noop);
        assertEquals(ReplyStatus.NOOP, reply.status(), reply.message());
        assertTrue(reply.message().startsWith("would reboot in 60s (reboot_required)"), reply.message());
        assertAudited(node, reply, OPERATOR, null);
    }

    private static String tamper(String envelope, String from, String to) throws Exception {
        ObjectNode outer = (ObjectNode) JSON.readTree(envelope);
        String inner = outer.get("request").asText();
        assertTrue(inner.contains(from), inner);
        outer.put("request", inner.replace(from, to));
        return outer.toString();
    }

    // ------------------------------------------------------------------------------------------ the control

    @Test
    void controlASignedRebootFromTheOperatorIsCarriedOutAndAuditedWithTheVerifiedCaller() throws Exception {
        Node ctl = new Node("ctl01", "orch", Clock.systemUTC(), config -> TRUST.node("ctl01")).start();
        try {
            Request reboot = ctl.request(Action.REBOOT, reboot(), "someone-else");

            Reply reply = client.ask(ctl.topic(), reboot);

            assertEquals(ReplyStatus.SCHEDULED, reply.status(), reply.message());
            eventually().until(() -> ctl.executor.plans.size() == 1);
            assertEquals(reboot.id(), ctl.executor.plans.get(0).requestId());
            assertAudited(ctl, reply, OPERATOR, null);
        } finally {
            ctl.stop();
        }
    }

    // ------------------------------------------------------------------------------------------ 1. unsigned

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"no signature, no certificate", "certificate but no signature", "signature but no certificate"})
    void unsignedRequestIsDeniedAsNotSignedAndAuditedOnlyAsAClaim(String what) throws Exception {
        Request reboot = web01.request(Action.REBOOT, reboot());
        String inner = inner(web01, reboot);
        Credentials op = TRUST.operator();
        String body = switch (what) {
            case "no signature, no certificate" -> envelope(inner, null, null, null);
            case "certificate but no signature" -> envelope(inner, OPERATOR, op.certificate(), null);
            default -> envelope(inner, OPERATOR, null, op.key());
        };

        Reply reply = send(web01, body, reboot.id());

        assertRefused(web01, reply, ReplyStatus.DENIED, null, OPERATOR, "request not trusted: not signed (no "
                + (what.startsWith("signature") ? "certificate" : "signature") + " in the envelope)");
        assertOperatorGetsThrough(web01);
    }

    // ------------------------------------------------------------------------------------------ 2. bad signature

    @Test
    void rebootWhoseTtlWasEditedAfterSigningIsDeniedAsABadSignature() throws Exception {
        Request reboot = web01.request(Action.REBOOT, reboot());
        String body = tamper(client.sealed(web01.topic(), reboot), "\"ttl_s\":60", "\"ttl_s\":300");

        Reply reply = send(web01, body, reboot.id());

        assertRefused(web01, reply, ReplyStatus.DENIED, null, OPERATOR,
                "request not trusted: bad signature: the body was not signed by 'test-operator'");
    }

    @Test
    void statusTurnedIntoARebootAfterSigningIsDeniedAsABadSignature() throws Exception {
        Request status = web01.request(Action.STATUS, null);
        String body = tamper(client.sealed(web01.topic(), status), "\"action\":\"status\"", "\"action\":\"reboot\"");

        Reply reply = send(web01, body, status.id());

        assertEquals("reboot", reply.action(), "the node read the edited action");
        assertRefused(web01, reply, ReplyStatus.DENIED, null, OPERATOR, "request not trusted: bad signature");
    }

    @Test
    void signatureByAnotherKeyUnderTheOperatorsCertificateIsDeniedAsABadSignature() throws Exception {
        Request reboot = web01.request(Action.REBOOT, reboot());
        KeyPair other = LocalCa.KeyType.EC.generate();

        Reply reply = send(web01, envelope(inner(web01, reboot), OPERATOR, TRUST.operator().certificate(),
                other.getPrivate()), reboot.id());

        assertRefused(web01, reply, ReplyStatus.DENIED, null, OPERATOR, "request not trusted: bad signature");
        assertOperatorGetsThrough(web01);
    }

    // ------------------------------------------------------------------------------------------ 3., 4. certificates

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"another CA of the same name", "expired", "not yet valid", "revoked"})
    void operatorCertificateTheSiteCannotTrustIsDenied(String what) throws Exception {
        Instant now = Instant.now();
        KeyPair keys = LocalCa.KeyType.EC.generate();
        LocalCa.Issued cert = switch (what) {
            case "another CA of the same name" -> LocalCa.create("orch test CA", LocalCa.KeyType.EC,
                    Duration.ofDays(2)).issue(OPERATOR, keys, now.minusSeconds(300), now.plus(Duration.ofDays(1)));
            case "expired" -> TRUST.ca().issue(OPERATOR, keys, now.minus(Duration.ofDays(2)),
                    now.minus(Duration.ofDays(1)));
            case "not yet valid" -> TRUST.ca().issue(OPERATOR, keys, now.plus(Duration.ofDays(1)),
                    now.plus(Duration.ofDays(2)));
            default -> revokedOperator;
        };
        String says = switch (what) {
            case "another CA of the same name" -> "is not from the site's CA";
            case "expired" -> "expired on";
            case "not yet valid" -> "is not valid before";
            default -> "is not trusted: revoked";
        };
        Request reboot = web01.request(Action.REBOOT, reboot());

        Reply reply = send(web01, envelope(inner(web01, reboot), OPERATOR, cert.certificate(),
                cert.keys().getPrivate()), reboot.id());

        assertRefused(web01, reply, ReplyStatus.DENIED, null, OPERATOR,
                "request not trusted: certificate 'CN=test-operator' ", says);
        assertOperatorGetsThrough(web01);
    }

    // ------------------------------------------------------------------------------------------ 5. a node's certificate

    @Test
    void nodeCertificateCannotRebootAnotherNodeEvenClaimingToBeTheOperator() throws Exception {
        Request reboot = web01.request(Action.REBOOT, reboot(), OPERATOR);

        Reply reply = send(web01, sealedBy(TRUST.credentials("web02"), web01, reboot), reboot.id());

        assertRefused(web01, reply, ReplyStatus.DENIED, "web02", null, "no rule allows web02 to reboot this node");
        assertTrue(reply.matched(), "denied by the policy, after the filter matched");
    }

    // ------------------------------------------------------------------------------------------ 6. routes

    @Test
    void requestSignedForAnotherNodeIsDeniedOnThisNodesTopic() throws Exception {
        Request reboot = web01.request(Action.REBOOT, reboot());
        String body = client.sealed(web01.topic(), reboot.routed("web02", client.replyToName()));

        Reply reply = send(web01, body, reboot.id());

        assertRefused(web01, reply, ReplyStatus.DENIED, OPERATOR, null,
                "request was signed for node 'web02' but arrived on this node's own destination");
    }

    @Test
    void requestSignedForTheBroadcastIsDeniedOnTheNodeTopic() throws Exception {
        Request reboot = web01.request(Action.REBOOT, reboot());
        String body = client.sealed(web01.topic(), reboot.routed(Request.BROADCAST, client.replyToName()));

        Reply reply = send(web01, body, reboot.id());

        assertRefused(web01, reply, ReplyStatus.DENIED, OPERATOR, null,
                "request was signed for the broadcast but arrived on this node's own destination");
    }

    @Test
    void requestSignedForOneNodeIsDeniedOnTheBroadcastByEveryNode() throws Exception {
        Request status = web01.request(Action.STATUS, null);
        String body = client.sealed(web01.topic(), status); // routed to web01

        client.sendBody(new Destinations("orch").broadcast(), body, status.id());

        Reply reply = replyFrom(web01, status.id());
        assertRefused(web01, reply, ReplyStatus.DENIED, OPERATOR, null,
                "request was signed for node 'web01' but arrived on the broadcast");
        for (Node other : List.of(plain01, pol01)) {
            Reply theirs = replyFrom(other, status.id());
            assertEquals(ReplyStatus.DENIED, theirs.status(), theirs.message());
            assertEquals("request was signed for node 'web01' but arrived on the broadcast", theirs.message());
        }
        assertTrue(client.replies.stream().filter(r -> r.requestId().equals(status.id()))
                .noneMatch(r -> r.status() == ReplyStatus.OK), client.replies.toString());
    }

    @Test
    void requestResentWithAnotherReplyToIsDeniedThereAndNothingReachesTheSignedQueue() throws Exception {
        Request reboot = web01.request(Action.REBOOT, reboot());
        String signedForA = client.sealed(web01.topic(), reboot);
        try (BusClient other = BusClient.connect(brokerUrl)) {
            other.sendBody(web01.topic(), signedForA, reboot.id());

            Reply reply = other.replyTo(reboot.id());

            assertEquals("request was signed for replies to '" + client.replyToName() + "' but asks for them at '"
                    + other.replyToName() + "'", reply.message());
            assertRefused(web01, reply, ReplyStatus.DENIED, OPERATOR, null);
        }
        // assertRefused pinged through the signed queue: any reply sent there before would have come first.
        assertTrue(client.replies.stream().noneMatch(r -> r.requestId().equals(reboot.id())),
                client.replies.toString());
    }

    // ------------------------------------------------------------------------------------------ 8. freshness

    @Test
    void requestCreatedLongAgoIsExpiredAndAudited() throws Exception {
        Request old = new Request(java.util.UUID.randomUUID().toString(), "orch", Action.REBOOT, null, reboot(),
                OPERATOR, "junit", Instant.now().minus(Duration.ofHours(1)), 60);

        Reply reply = client.ask(web01.topic(), old);

        assertRefused(web01, reply, ReplyStatus.EXPIRED, OPERATOR, null, "request expired ", "ttl_s 60");
    }

    @Test
    void requestFromBeyondTheAllowedSkewIsExpiredAndAuditedButOneWithinItIsNot() throws Exception {
        Request future = new Request(java.util.UUID.randomUUID().toString(), "orch", Action.REBOOT, null, reboot(),
                OPERATOR, "junit", Instant.now().plus(Duration.ofMinutes(5)), 60);
        Request withinSkew = new Request(java.util.UUID.randomUUID().toString(), "orch", Action.REBOOT, null,
                Map.of("noop", true), OPERATOR, "junit", Instant.now().plus(Duration.ofSeconds(15)), 60);

        Reply reply = client.ask(web01.topic(), future);
        Reply control = client.ask(web01.topic(), withinSkew);

        assertRefused(web01, reply, ReplyStatus.EXPIRED, OPERATOR, null, "s in the future (allowed skew 30s); "
                + "check the clocks");
        assertEquals(ReplyStatus.NOOP, control.status(), control.message());
    }

    // ------------------------------------------------------------------------------------------ 9. policy

    @Test
    void operatorThePolicyDoesNotNameIsDeniedRebootWhileTheNamedOneGetsThrough() throws Exception {
        Request reboot = pol01.request(Action.REBOOT, reboot());
        Request alices = pol01.request(Action.REBOOT, Map.of("noop", true), "alice");

        Reply reply = client.ask(pol01.topic(), reboot);
        Reply control = send(pol01, sealedBy(TRUST.credentials("alice"), pol01, alices), alices.id());

        assertRefused(pol01, reply, ReplyStatus.DENIED, OPERATOR, null,
                "no rule allows test-operator to reboot this node");
        assertEquals(ReplyStatus.NOOP, control.status(), control.message());
        assertAudited(pol01, control, "alice", null);
    }

    @Test
    void forceNeedsItsOwnRightARebootRuleIsNotEnough() throws Exception {
        Request force = pol01.request(Action.REBOOT, forced(), "alice");
        Request bobs = pol01.request(Action.REBOOT, Map.of("when", "refreshed", "force", true, "noop", true), "bob");

        Reply reply = send(pol01, sealedBy(TRUST.credentials("alice"), pol01, force), force.id());
        Reply control = send(pol01, sealedBy(TRUST.credentials("bob"), pol01, bobs), bobs.id());

        assertRefused(pol01, reply, ReplyStatus.DENIED, "alice", null, "no rule allows alice to force a reboot of "
                + "this node (rule 1 allows reboot, but a forced reboot needs a rule that lists force)");
        assertEquals(ReplyStatus.NOOP, control.status(), control.message());
        assertAudited(pol01, control, "bob", null);
    }

    @Test
    void rebootOutsideTheMaintenanceWindowIsDeniedSayingWhenItOpens() throws Exception {
        Request reboot = win01.request(Action.REBOOT, reboot());
        Request alices = win01.request(Action.REBOOT, Map.of("noop", true), "alice");

        Reply reply = client.ask(win01.topic(), reboot);
        Reply control = send(win01, sealedBy(TRUST.credentials("alice"), win01, alices), alices.id());

        String opens = DateTimeFormatter.ofPattern("EEE HH:mm", Locale.ROOT).format(winOpens.atZone(ZoneOffset.UTC))
                + " UTC";
        assertEquals("outside maintenance window (opens " + opens + ", in 3h)", reply.message());
        assertRefused(win01, reply, ReplyStatus.DENIED, OPERATOR, null);
        assertEquals(ReplyStatus.NOOP, control.status(), "alice's rule says any_time: " + control.message());
    }

    @Test
    void statusShowsTheClosedWindowAndWhenItOpens() throws Exception {
        Reply status = client.ask(win01.topic(), win01.request(Action.STATUS, null));

        assertEquals(ReplyStatus.OK, status.status(), status.message());
        String opens = DateTimeFormatter.ofPattern("EEE HH:mm", Locale.ROOT).format(winOpens.atZone(ZoneOffset.UTC))
                + " UTC";
        assertEquals(Map.of("windows", "daily " + winStart + "+1h UTC", "open", false, "next", winOpens.toString(),
                "summary", "closed, opens " + opens + ", in 3h"), WireData.of(status).get("maintenance"));
        assertEquals("verified", WireData.of(status).get("security"));
        assertTrue(status.message().contains("; maintenance window closed, opens " + opens), status.message());
    }

    // ------------------------------------------------------------------------------------------ 10. default policy

    @Test
    void plainSiteCertificateMayPingAndAskStatusUnderTheDefaultPolicyButNotReboot() throws Exception {
        Credentials carol = TRUST.credentials("carol");
        Request ping = plain01.request(Action.PING, null, "carol");
        Request status = plain01.request(Action.STATUS, null, "carol");
        Request reboot = plain01.request(Action.REBOOT, reboot(), "carol");

        Reply pong = send(plain01, sealedBy(carol, plain01, ping), ping.id());
        Reply state = send(plain01, sealedBy(carol, plain01, status), status.id());
        Reply denied = send(plain01, sealedBy(carol, plain01, reboot), reboot.id());

        assertEquals(ReplyStatus.OK, pong.status(), pong.message());
        assertAudited(plain01, pong, "carol", null);
        assertEquals(ReplyStatus.OK, state.status(), state.message());
        assertAudited(plain01, state, "carol", null);
        Map<String, Object> data = WireData.of(state);
        assertEquals("verified", data.get("security"));
        assertEquals(true, data.get("pending"));
        Map<String, Object> none = new java.util.HashMap<>();
        none.put("windows", "");
        none.put("open", true);
        none.put("next", null);
        none.put("summary", "no maintenance windows: reboots allowed any time");
        assertEquals(none, data.get("maintenance"));
        assertEquals("reboot pending: reboot_required", state.message());
        assertRefused(plain01, denied, ReplyStatus.DENIED, "carol", null, "no rule allows carol to reboot this node "
                + "(there is no policy file; without one nobody may reboot, force or cancel)");
    }

    // ------------------------------------------------------------------------------------------ 11. claims

    @Test
    void callerNamedInTheBodyIsNeverBelieved() throws Exception {
        Request asRoot = web01.request(Action.REBOOT, Map.of("noop", true), "root");

        Reply reply = client.ask(web01.topic(), asRoot);

        assertEquals(ReplyStatus.NOOP, reply.status(), reply.message());
        JsonNode line = web01.auditLine(asRoot.id());
        assertEquals(OPERATOR, line.path("caller").asText(), line.toString());
        assertFalse(line.toString().contains("root"), line.toString());
        assertNothingRebooted(web01);
    }

    @Test
    void claimingARebootersNameGetsNoRebootUnderThePolicy() throws Exception {
        Request asAlice = pol01.request(Action.REBOOT, reboot(), "alice");

        Reply reply = client.ask(pol01.topic(), asAlice);

        assertRefused(pol01, reply, ReplyStatus.DENIED, OPERATOR, null,
                "no rule allows test-operator to reboot this node");
    }

    @Test
    void signerFieldOfTheEnvelopeIsNotBelievedEither() throws Exception {
        Credentials web02 = TRUST.credentials("web02");
        Request reboot = web01.request(Action.REBOOT, reboot());

        Reply reply = send(web01, envelope(inner(web01, reboot), OPERATOR, web02.certificate(), web02.key()),
                reboot.id());

        assertRefused(web01, reply, ReplyStatus.DENIED, null, OPERATOR,
                "request not trusted: signer 'test-operator' does not match the certificate's name 'web02'");
    }

    // ------------------------------------------------------------------------------------------ insecure mode

    @Test
    void insecureNodeAcceptsUnsignedRequestsAndSaysSoInItsStatus() throws Exception {
        Path noPolicy = dir.resolve("lax-no-policy.yaml");
        Node lax = new Node("lax01", "lax", Clock.systemUTC(), config -> ResponderWiring.security(
                config.withSecurity(SecuritySettings.insecureMode(), noPolicy.toString()), "lax01",
                Clock.systemUTC())).start();
        try (Connection connection = BusClient.factory(brokerUrl).createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = session.createTemporaryQueue();
            MessageConsumer consumer = session.createConsumer(replies);
            MessageProducer producer = session.createProducer(session.createTopic(lax.topic()));
            assertTrue(lax.security.insecure());

            Request status = lax.request(Action.STATUS, null, "nobody");
            Request reboot = lax.request(Action.REBOOT, reboot(), "nobody");
            List<Reply> answers = new ArrayList<>();
            for (Request request : List.of(status, reboot)) {
                TextMessage message = session.createTextMessage(CODEC.encodeRequest(request)); // unsigned
                message.setJMSReplyTo(replies);
                message.setJMSCorrelationID(request.id());
                producer.send(message);
                TextMessage got = (TextMessage) consumer.receive(30_000);
                assertNotNull(got, "no reply to " + request.action().wireName());
                SecureEnvelope envelope = CODEC.decodeEnvelope(got.getText(), SecureEnvelope.Kind.REPLY);
                assertNull(envelope.signature(), "an insecure node signs nothing");
                answers.add(CODEC.decodeReply(envelope.body()));
            }

            Reply state = answers.get(0);
            assertEquals(ReplyStatus.OK, state.status(), state.message());
            assertEquals("insecure", WireData.of(state).get("security"));
            assertEquals("reboot pending: reboot_required; SECURITY OFF (insecure)", state.message());
            Reply scheduled = answers.get(1);
            assertEquals(ReplyStatus.SCHEDULED, scheduled.status(), scheduled.message());
            eventually().until(() -> lax.executor.plans.size() == 1);
            assertEquals(reboot.id(), lax.executor.plans.get(0).requestId());
            assertAudited(lax, scheduled, null, "nobody");
        } finally {
            lax.stop();
        }
    }

    // ------------------------------------------------------------------------------------------ sanity

    @Test
    void everyNodeHereSignsAndVerifies() {
        for (Node node : List.of(web01, plain01, pol01, win01)) {
            assertFalse(node.security.insecure(), node.identity);
            assertEquals(node.identity, node.security.name());
        }
    }
}
