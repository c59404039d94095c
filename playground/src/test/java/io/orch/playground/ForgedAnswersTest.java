package io.orch.playground;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orch.cli.ExitCode;
import io.orch.playground.lab.LabNode;
import io.orch.protocol.bus.Destinations;
import io.orch.protocol.bus.MessageBodies;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.EventType;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.envelope.SecureEnvelope;
import io.orch.protocol.payload.LoopGuardState;
import io.orch.protocol.payload.RebootData;
import io.orch.protocol.payload.RebootedData;
import io.orch.protocol.payload.StatusData;
import io.orch.trust.Credentials;
import io.orch.trust.LocalCa;
import io.orch.trust.Sealer;
import io.orch.trust.SiteCa;
import io.orch.trust.TrustException;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The issue's rule, over the real TLS broker and the lab: "a forged reply or event (another node's
 * certificate, or none) never changes a node's outcome in the CLI's report". The forger here holds what
 * a compromised machine holds: a node certificate of the site (the lab's shared one), with which the
 * broker lets it read every node's topic and write events and replies. Every forgery is listed in the
 * report's {@code unverified} with why; none counts.
 *
 * <p>Each scenario also runs with {@link Signature#OWN}: the same message signed with a certificate of
 * the site's CA for the very node it speaks for. That one must count and change the report, which shows
 * that the forgeries really reached the CLI in time and would have been believed without the checks.
 */
class ForgedAnswersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Codec CODEC = new Codec();
    private static final Destinations BUS = new Destinations(Destinations.DEFAULT_COLLECTIVE);
    private static final Clock CLOCK = Clock.systemUTC();
    /** The node whose certificate signs the {@link Signature#OTHER_NODE} forgeries; never a victim here. */
    private static final String OTHER = "lab-0002";

    @TempDir
    Path state;

    /** How a forged message is signed. */
    enum Signature {
        /** With another node's certificate of the site's CA (a compromised lab-0002 speaking for its neighbour). */
        OTHER_NODE("signed by '" + OTHER + "', not by the node it speaks for"),
        /** Not at all: no signer, no certificate, no signature. */
        UNSIGNED("not signed"),
        /** With a certificate naming the right node, from a CA of the forger's own (even named like the lab's). */
        OTHER_CA("is not from the site's CA"),
        /** The control: a certificate of the site's CA for the node itself. This is no forgery and counts. */
        OWN(null);

        /** What the CLI says about it in {@code unverified[].why}; null for the one that counts. */
        final String why;

        Signature(String why) {
            this.why = why;
        }

        boolean counts() {
            return why == null;
        }

        /** {@code body} (an inner reply or event) in its envelope, signed this way, as if from {@code node}. */
        String seal(SecureEnvelope.Kind kind, String body, String node) throws TrustException {
            return switch (this) {
                case OTHER_NODE -> Sealer.signing(CODEC, Cli.PKI.issue(OTHER, CLOCK)).seal(kind, body);
                case UNSIGNED -> CODEC.encodeEnvelope(SecureEnvelope.unsigned(kind, body));
                case OTHER_CA -> Sealer.signing(CODEC, rogue(node)).seal(kind, body);
                case OWN -> Sealer.signing(CODEC, Cli.PKI.issue(node, CLOCK)).seal(kind, body);
            };
        }

        /** A key and certificate for {@code node} from a throwaway CA that is not the site's. */
        private static Credentials rogue(String node) throws TrustException {
            LocalCa rogue = LocalCa.create("orch lab CA", LocalCa.KeyType.EC, Duration.ofDays(2));
            LocalCa.Issued issued = rogue.issue(node, LocalCa.KeyType.EC, Duration.ofDays(1));
            return Credentials.of(SiteCa.of(List.of(rogue.certificate()), List.of(), "the forger's CA"),
                    issued.certificate(), List.of(), issued.keys().getPrivate(), CLOCK.instant(), "forger");
        }
    }

    // ------------------------------------------------------------------ forged rebooted event

    @ParameterizedTest(name = "{0}")
    @EnumSource(Signature.class)
    void aForgedRebootedEventNeverMakesANodeThatStaysDownBack(Signature signature) throws Exception {
        try (LabFixture fixture = LabFixture.start(2, 1.0, 41, state); Forger forger = new Forger(fixture.url())) {
            String victim = "lab-0001";
            LabNode node = fixture.lab.node(victim);
            node.staysDownAfterReboot();
            String bootBefore = node.bootId();
            forger.intercept(victim, request -> null); // only listens: learns the id of the request

            Cli.Running run = Cli.start("reboot", "-F", "reboot_pending=true", "--wait", "--delay", "0",
                    "--wait-timeout", "3s", "--timeout", "2s", "--json", "--broker", fixture.url());
            // Once the victim went down for good, the forger says it is back, for the very request that took it down.
            await().atMost(Duration.ofSeconds(30)).until(() -> forger.request(victim, Action.REBOOT).isPresent()
                    && !node.up());
            Request reboot = forger.request(victim, Action.REBOOT).orElseThrow();
            String newBoot = UUID.randomUUID().toString();
            Instant now = Instant.now();
            Event rebooted = new Event(EventType.REBOOTED, victim, newBoot, reboot.id(), now,
                    new RebootedData(bootBefore, newBoot, Duration.ofMillis(1200), now, false, List.of(), false));
            forger.publishEvent(signature.seal(SecureEnvelope.Kind.EVENT, CODEC.encode(rebooted), victim));
            Cli.Result result = run.result();
            forger.assertNoFailures();

            JsonNode report = JSON.readTree(result.out());
            assertEquals(0, node.reboots(), "the lab's truth: " + victim + " never came back");
            assertEquals("rebooted", row(report, OTHER).get("status").asText(), result::toString);
            if (signature.counts()) {
                assertEquals(ExitCode.OK, result.exitCode(), result::toString);
                assertEquals("rebooted", row(report, victim).get("status").asText(), result::toString);
                assertEquals(0, report.get("unverified").size(), result::toString);
                return;
            }
            assertEquals(ExitCode.NO_RESPONSE, result.exitCode(), result::toString);
            JsonNode row = row(report, victim);
            assertEquals("not_back", row.get("status").asText(), result::toString);
            assertTrue(row.get("message").asText().startsWith("not back within --wait-timeout"), result::toString);
            assertFalse(row.get("timings_ms").has("back"), result::toString);
            assertEquals(List.of(victim), texts(report.get("not_back")), result::toString);
            assertUnverified(report, result, List.of(new Expected("event", victim, "rebooted", signature.why)));
        }
    }

    // ------------------------------------------------------------------ forged answer to the status probe

    /**
     * A node not seen back by the end of {@code --wait-timeout} is asked for its boot id; a forged answer with
     * a new boot id must not make it back either.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Signature.class)
    void aForgedAnswerToTheStatusProbeNeverMakesANodeThatStaysDownBack(Signature signature) throws Exception {
        try (LabFixture fixture = LabFixture.start(2, 1.0, 42, state); Forger forger = new Forger(fixture.url())) {
            String victim = "lab-0001";
            LabNode node = fixture.lab.node(victim);
            node.staysDownAfterReboot();
            String newBoot = UUID.randomUUID().toString();
            forger.intercept(victim, request -> {
                if (request.action() != Action.STATUS) {
                    return null;
                }
                StatusData back = new StatusData(false, List.of(), Map.of(), newBoot, 3, Map.of(), null, null,
                        LoopGuardState.CLEAR, null, null, StatusData.VERIFIED, null);
                Reply answer = new Reply(request.id(), victim, Action.STATUS.wireName(), true, ReplyStatus.OK, "",
                        back, Instant.now());
                return signature.seal(SecureEnvelope.Kind.REPLY, CODEC.encode(answer), victim);
            });

            Cli.Result result = Cli.run("reboot", "-F", "reboot_pending=true", "--wait", "--delay", "0",
                    "--wait-timeout", "3s", "--timeout", "2s", "--json", "--broker", fixture.url());
            forger.assertNoFailures();

            assertTrue(forger.request(victim, Action.STATUS).isPresent(), () -> "no probe was sent:\n" + result);
            JsonNode report = JSON.readTree(result.out());
            assertEquals(0, node.reboots(), "the lab's truth: " + victim + " never came back");
            assertEquals("rebooted", row(report, OTHER).get("status").asText(), result::toString);
            JsonNode row = row(report, victim);
            if (signature.counts()) {
                assertEquals(ExitCode.OK, result.exitCode(), result::toString);
                assertEquals("rebooted", row.get("status").asText(), result::toString);
                assertTrue(row.get("message").asText().contains("back with a new boot id"), result::toString);
                assertEquals(0, report.get("unverified").size(), result::toString);
                return;
            }
            assertEquals(ExitCode.NO_RESPONSE, result.exitCode(), result::toString);
            assertEquals("not_back", row.get("status").asText(), result::toString);
            assertEquals(List.of(victim), texts(report.get("not_back")), result::toString);
            assertUnverified(report, result, List.of(new Expected("reply", victim, "ok", signature.why)));
        }
    }

    // ------------------------------------------------------------------ forged reply to the reboot request

    /**
     * The forger answers the reboot request of two nodes with {@code failed} the moment it sees it: lab-0001,
     * which answers {@code scheduled} for real, and lab-0003, which answered discovery and then dropped off the
     * bus, so it never answers the reboot. lab-0003 also keeps the CLI collecting replies for the whole
     * {@code --timeout}, so the forgeries are in whichever of the forger and lab-0001 is quicker; the order
     * does not change what a believed forgery would do (two answers for one node make it {@code failed}, as
     * the control shows).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Signature.class)
    void aForgedFailedReplyNeverChangesARealAnswerNorFailsANodeThatNeverAnswered(Signature signature)
            throws Exception {
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        try (LabFixture fixture = LabFixture.start(3, 1.0, 43, state).withoutInventory();
             Forger forger = new Forger(fixture.url())) {
            String answers = "lab-0001";
            String silent = "lab-0003";
            for (String victim : List.of(answers, silent)) {
                String bootId = fixture.lab.node(victim).bootId();
                forger.intercept(victim, request -> {
                    if (request.action() != Action.REBOOT) {
                        return null;
                    }
                    Reply failed = new Reply(request.id(), victim, Action.REBOOT.wireName(), true, ReplyStatus.FAILED,
                            "cannot tell whether a reboot is pending", new RebootData(null, List.of(),
                            Map.of("kernel", "forged: detector crashed"), bootId), Instant.now());
                    return signature.seal(SecureEnvelope.Kind.REPLY, CODEC.encode(failed), victim);
                });
            }
            // When discovery goes out, lab-0003 answers it and drops off the bus well before the reboot is sent
            // (discovery lasts at least two seconds).
            forger.onBroadcast(() -> later.schedule(() -> fixture.lab.node(silent).disconnect(), 1000,
                    TimeUnit.MILLISECONDS));

            Cli.Result result = Cli.run("reboot", "-F", "reboot_pending=true", "--delay", "0", "--timeout", "2s",
                    "--json", "--broker", fixture.url());
            forger.assertNoFailures();

            assertTrue(forger.request(answers, Action.REBOOT).isPresent(), result::toString);
            assertTrue(forger.request(silent, Action.REBOOT).isPresent(), () -> silent + " was not asked to reboot "
                    + "(did it answer discovery?):\n" + result);
            JsonNode report = JSON.readTree(result.out());
            assertEquals("scheduled", row(report, OTHER).get("status").asText(), result::toString);
            if (signature.counts()) {
                // Believed, the reply makes lab-0003, which never answered, failed. lab-0001 is raced: its own
                // reply and the one signed with its key both count, and collecting ends once every node answered,
                // so the report holds whichever came first (failed when both came: answered twice).
                assertEquals(ExitCode.NODE_FAILED, result.exitCode(), result::toString);
                assertTrue(Set.of("failed", "scheduled").contains(row(report, answers).get("status").asText()),
                        result::toString);
                assertEquals("failed", row(report, silent).get("status").asText(), result::toString);
                assertEquals(0, report.get("unverified").size(), result::toString);
                return;
            }
            // The lab's truth: lab-0001 did schedule its reboot and goes through with it; lab-0003 never heard of it.
            await().atMost(Duration.ofSeconds(30)).until(() -> fixture.lab.node(answers).reboots() == 1);
            assertEquals(0, fixture.lab.node(silent).reboots());
            assertEquals(ExitCode.NO_RESPONSE, result.exitCode(), result::toString);
            JsonNode real = row(report, answers);
            assertEquals("scheduled", real.get("status").asText(), result::toString);
            assertFalse(real.get("message").asText().contains("more than one responder"), result::toString);
            assertEquals("no_response", row(report, silent).get("status").asText(), result::toString);
            assertEquals(List.of(silent), texts(report.get("no_response")), result::toString);
            assertFalse(report.get("summary").has("failed") && report.get("summary").get("failed").asInt() > 0,
                    result::toString);
            assertUnverified(report, result, List.of(new Expected("reply", answers, "failed", signature.why),
                    new Expected("reply", silent, "failed", signature.why)));
        } finally {
            later.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ orch watch

    @Test
    void watchWarnsAboutEachUnverifiedEventAndPrintsOnlyTheGenuineOne() throws Exception {
        try (SchemaCheckedBroker broker = SchemaCheckedBroker.start(); Forger forger = new Forger(broker.url())) {
            Cli.Running watch = Cli.start("watch", "--count", "1", "--for", "2m", "--broker", broker.url());
            // A topic keeps nothing for a late subscriber: publish only once the watch says it is subscribed.
            await().atMost(Duration.ofSeconds(30)).until(() -> watch.errSoFar().contains("orch: watching")
                    || watch.done());
            assertFalse(watch.done(), () -> "watch ended before it subscribed: " + safely(watch));

            String node = "lab-0001";
            List<String> forgedRequests = new ArrayList<>();
            List<String> forgeries = new ArrayList<>();
            for (Signature signature : Signature.values()) {
                if (signature.counts()) {
                    continue;
                }
                String requestId = UUID.randomUUID().toString();
                forgedRequests.add(requestId);
                forgeries.add(signature.why);
                forger.publishEvent(signature.seal(SecureEnvelope.Kind.EVENT, CODEC.encode(rebooted(node, requestId)),
                        node));
            }
            // Then the control, from the same forger's connection: the same event signed with the node's own
            // certificate. The watch prints it and, with --count 1, ends: the forgeries before it were all read.
            String genuineRequest = UUID.randomUUID().toString();
            forger.publishEvent(Signature.OWN.seal(SecureEnvelope.Kind.EVENT,
                    CODEC.encode(rebooted(node, genuineRequest)), node));

            Cli.Result result = watch.result();
            assertEquals(ExitCode.OK, result.exitCode(), result::toString);
            List<String> lines = result.out().lines().toList();
            assertEquals(1, lines.size(), result::toString);
            assertTrue(lines.get(0).contains("  " + node + "  rebooted  request " + genuineRequest + "  "),
                    result::toString);
            for (String forged : forgedRequests) {
                assertFalse(result.out().contains(forged), result::toString);
            }
            List<String> warnings = result.err().lines().filter(l -> l.startsWith("orch: warning: ")).toList();
            assertEquals(forgeries.size(), warnings.size(), result::toString);
            for (int i = 0; i < forgeries.size(); i++) {
                assertTrue(warnings.get(i).startsWith("orch: warning: unverified event claiming to be from '" + node
                        + "' ignored: rebooted: "), result::toString);
                assertTrue(warnings.get(i).contains(forgeries.get(i)), result::toString);
            }
        }
    }

    /**
     * What a forged message claims is not to be trusted even as text: a node name with a line break and a
     * terminal escape must not give it a line of its own on the operator's terminal, where it could pass for
     * an event (watch) or a summary (any fleet command). Warnings stay one line each.
     */
    @Test
    void aForgedMessageGetsOneWarningLineAndNoLineOfItsOwn() throws Exception {
        String fakeEvent = "2026-01-01T00:00:00Z  lab-0001  rebooted  request 00000000-0000-0000-0000-000000000000"
                + "  old boot 11111111 -> new 22222222, down 1.0s, nothing pending";
        String claimed = "lab-0001' ignored\n" + fakeEvent + "\u001b[2K\n";
        try (LabFixture fixture = LabFixture.start(1, 0.0, 44, state).withoutInventory();
             Forger forger = new Forger(fixture.url())) {
            Cli.Running watch = Cli.start("watch", "--count", "1", "--for", "2m", "--broker", fixture.url());
            await().atMost(Duration.ofSeconds(30)).until(() -> watch.errSoFar().contains("orch: watching")
                    || watch.done());
            assertFalse(watch.done(), () -> "watch ended before it subscribed: " + safely(watch));
            forger.publishEvent(Signature.OTHER_NODE.seal(SecureEnvelope.Kind.EVENT,
                    CODEC.encode(rebooted(claimed, UUID.randomUUID().toString())), "lab-0001"));
            forger.publishEvent(Signature.OWN.seal(SecureEnvelope.Kind.EVENT,
                    CODEC.encode(rebooted("lab-0001", UUID.randomUUID().toString())), "lab-0001"));
            Cli.Result watched = watch.result();
            assertEquals(ExitCode.OK, watched.exitCode(), watched::toString);
            assertOnlyOrchLines(watched, 2); // "watching", then the one warning
            assertEquals(1, watched.out().lines().count(), watched::toString);

            // Any fleet command: here the forger answers discovery itself, for a node name of its making.
            forger.onBroadcast(request -> Signature.OTHER_NODE.seal(SecureEnvelope.Kind.REPLY,
                    CODEC.encode(new Reply(request.id(), claimed, request.action().wireName(), true,
                            ReplyStatus.DENIED, "", null, Instant.now())), claimed));
            Cli.Result ping = Cli.run("ping", "--broker", fixture.url());
            forger.assertNoFailures();
            assertEquals(ExitCode.OK, ping.exitCode(), ping::toString);
            assertOnlyOrchLines(ping, 1);
            assertFalse(ping.out().contains(fakeEvent) || ping.out().contains("\u001b"), ping::toString);
        }
    }

    /** stderr is {@code lines} lines, each orch's own, with no terminal escape anywhere. */
    private static void assertOnlyOrchLines(Cli.Result result, int lines) {
        List<String> err = result.err().lines().toList();
        assertEquals(lines, err.size(), result::toString);
        assertTrue(err.stream().allMatch(l -> l.startsWith("orch: ")), result::toString);
        assertFalse(result.err().contains("\u001b"), result::toString);
    }

    private static Event rebooted(String node, String requestId) {
        String oldBoot = UUID.randomUUID().toString();
        String newBoot = UUID.randomUUID().toString();
        Instant now = Instant.now();
        return new Event(EventType.REBOOTED, node, newBoot, requestId, now,
                new RebootedData(oldBoot, newBoot, Duration.ofMillis(900), now, false, List.of(), false));
    }

    private static String safely(Cli.Running running) {
        try {
            return running.result().toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    // ------------------------------------------------------------------ the report

    /**
     * One entry of the report's {@code unverified}.
     *
     * @param what the reply's status or the event's type, as the CLI names it before why
     * @param why  a part of why it was not believed
     */
    record Expected(String kind, String claimedNode, String what, String why) {
        boolean matches(JsonNode unverified) {
            return unverified.get("kind").asText().equals(kind) && unverified.get("claimed_node").asText()
                    .equals(claimedNode) && unverified.get("why").asText().startsWith(what + ": ")
                    && unverified.get("why").asText().contains(why);
        }
    }

    /** The report lists exactly these (in any order), says so in its summary line, and warned on stderr. */
    private static void assertUnverified(JsonNode report, Cli.Result result, List<Expected> expected) {
        JsonNode unverified = report.get("unverified");
        assertEquals(expected.size(), unverified.size(), result::toString);
        for (Expected e : expected) {
            boolean listed = false;
            for (JsonNode u : unverified) {
                listed |= e.matches(u);
            }
            assertTrue(listed, () -> "no unverified " + e + " in " + unverified + "\n" + result);
            assertTrue(result.err().contains("orch: warning: unverified " + e.kind() + " claiming to be from '"
                    + e.claimedNode() + "' ignored: " + e.what() + ": "), result::toString);
        }
        String messages = expected.size() + " unverified message" + (expected.size() == 1 ? "" : "s") + " ignored";
        assertTrue(report.get("summary_line").asText().endsWith("; " + messages), result::toString);
    }

    private static JsonNode row(JsonNode report, String identity) {
        for (JsonNode node : report.get("nodes")) {
            if (node.get("identity").asText().equals(identity)) {
                return node;
            }
        }
        throw new AssertionError("no row for " + identity + " in " + report.toPrettyString());
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    // ------------------------------------------------------------------ the forger

    /** What the forger sends back for a request it saw on a node's topic: a sealed reply, or null for nothing. */
    interface Answer {
        String to(Request request) throws Exception;
    }

    /**
     * A compromised node on the bus: the lab's node certificate ({@link io.orch.playground.lab.LabPki#NODES}),
     * which the broker lets read every {@code orch.node.*} topic and the broadcast, and write events and
     * replies. Nothing it sends is refused by the broker; only the CLI can tell it is not from the node.
     */
    static final class Forger implements AutoCloseable {
        private final Connection connection;
        /** The test thread's session; each listener has its own. */
        private final Session session;
        private final MessageProducer producer;
        private final Map<String, List<Request>> seen = new ConcurrentHashMap<>();
        private final List<Throwable> failures = new CopyOnWriteArrayList<>();

        Forger(String url) throws JMSException {
            ActiveMQConnectionFactory factory = Cli.PKI.connectionFactory(url);
            factory.setWatchTopicAdvisories(false);
            connection = factory.createConnection();
            try {
                connection.start();
                session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                producer = session.createProducer(null);
                producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            } catch (JMSException e) {
                connection.close();
                throw e;
            }
        }

        /**
         * Reads {@code node}'s topic from now on; answers each request there at once with what {@code answer}
         * gives, to its reply queue and with its correlation id, exactly as the node itself would.
         */
        void intercept(String node, Answer answer) throws JMSException {
            listen(BUS.node(node), answer, node);
        }

        private void listen(String topic, Answer answer, String node) throws JMSException {
            Session listening = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer replies = listening.createProducer(null);
            replies.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            listening.createConsumer(listening.createTopic(topic)).setMessageListener(message -> {
                try {
                    Request request = CODEC.decodeRequest(MessageBodies.text(message));
                    String forged = answer.to(request);
                    if (forged != null) {
                        TextMessage reply = listening.createTextMessage(forged);
                        reply.setJMSCorrelationID(message.getJMSCorrelationID());
                        replies.send(message.getJMSReplyTo(), reply);
                    }
                    if (node != null) {
                        seen.computeIfAbsent(node, n -> new CopyOnWriteArrayList<>()).add(request);
                    }
                } catch (Exception | AssertionError e) {
                    failures.add(e);
                }
            });
        }

        /** Runs {@code then} on the forger's thread each time a broadcast (discovery) goes out. */
        void onBroadcast(Runnable then) throws JMSException {
            onBroadcast(request -> {
                then.run();
                return null;
            });
        }

        /** Reads the broadcast from now on, and answers each request there with what {@code answer} gives. */
        void onBroadcast(Answer answer) throws JMSException {
            listen(BUS.broadcast(), answer, null);
        }

        /** The first request of {@code action} seen on {@code node}'s topic (once the forger answered it). */
        Optional<Request> request(String node, Action action) {
            return seen.getOrDefault(node, List.of()).stream().filter(r -> r.action() == action).findFirst();
        }

        /** Publishes {@code sealed} on the collective's events topic, as any node may. */
        synchronized void publishEvent(String sealed) throws JMSException {
            producer.send(session.createTopic(BUS.events()), session.createTextMessage(sealed));
        }

        /** Fails when anything went wrong while forging: a forgery never sent proves nothing. */
        void assertNoFailures() {
            if (!failures.isEmpty()) {
                AssertionError error = new AssertionError("the forger failed: " + failures.get(0));
                failures.forEach(error::addSuppressed);
                throw error;
            }
        }

        @Override
        public void close() throws JMSException {
            connection.close();
        }
    }
}
