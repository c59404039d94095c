package io.orch.playground.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.trust.TlsMaterial;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.security.SecureRandom;
import java.util.List;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.ActiveMQSslConnectionFactory;
import org.junit.jupiter.api.Test;

/**
 * What every orch broker with TLS must hold, the embedded one ({@link TlsBrokerTest}) and the one
 * {@code deploy/broker/} ships ({@link DeployedBrokerConfigTest}): who gets in, and what operators and
 * nodes may read and write in the collective "orch". Operator "alice", nodes "web01" and "web02".
 * Every refusal is asserted as the exception the client gets, never as a message that did not come in time.
 */
abstract class BrokerAclContract {
    static final long RECEIVE_MS = 10_000;

    TlsClients pki;
    TlsMaterial alice;
    TlsMaterial web01;
    TlsMaterial web02;

    /** The broker's {@code ssl://127.0.0.1:port}. */
    abstract String url();

    /** Called by the subclass before it starts its broker. */
    void identities() throws Exception {
        pki = new TlsClients();
        alice = pki.identity("alice");
        web01 = pki.identity("web01");
        web02 = pki.identity("web02");
    }

    // --- who gets in ---------------------------------------------------------------------------------


    @Test
    void plainTcpToTheTlsPortIsRefused() {
        ActiveMQConnectionFactory plain = new ActiveMQConnectionFactory(url().replace("ssl://", "tcp://"));
        plain.setConnectResponseTimeout(20_000);
        JMSException e = assertThrows(JMSException.class, () -> plain.createConnection().start());
        // The broker drops the connection as soon as it sees OpenWire where a TLS hello should be.
        assertClosedByTheBroker(e);
    }

    @Test
    void clientWithoutACertificateIsRefused() {
        ActiveMQSslConnectionFactory anonymous = new ActiveMQSslConnectionFactory(url());
        anonymous.setKeyAndTrustManagers(null, web01.trustManagers(), new SecureRandom());
        anonymous.setConnectResponseTimeout(20_000);
        JMSException e = assertThrows(JMSException.class, () -> anonymous.createConnection().start());
        assertRefusedByTls(e);
    }

    @Test
    void certificateOfAnotherCaIsRefused() throws Exception {
        TlsMaterial mallory = pki.foreignIdentity("alice");
        JMSException e = assertThrows(JMSException.class, () -> TlsClients.connect(url(), mallory));
        assertRefusedByTls(e);
    }

    @Test
    void revokedCertificateIsRefused() throws Exception {
        TlsMaterial stolen = pki.revokedIdentity();
        JMSException e = assertThrows(JMSException.class, () -> TlsClients.connect(url(), stolen));
        assertRefusedByTls(e);
    }

    @Test
    void otherAdvisoriesAreClosed() throws Exception {
        assertReadRefused(web01, "ActiveMQ.Advisory.Connection");
        assertReadRefused(alice, "ActiveMQ.Advisory.Consumer.Topic.orch.broadcast");
    }

    @Test
    void clientsThatWatchAdvisoriesConnectToo() throws Exception {
        // orch's clients do not watch advisories; a stock JMS client does, and may.
        for (TlsMaterial who : List.of(alice, web01)) {
            var factory = TlsClients.factory(url(), who);
            factory.setWatchTopicAdvisories(true);
            try (Connection connection = factory.createConnection()) {
                connection.start();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                session.createConsumer(session.createTopic(who == alice ? "orch.events" : "orch.broadcast")).close();
            }
        }
    }



    // --- nodes -----------------------------------------------------------------------------------

    @Test
    void nodeReadsBroadcastAndItsOwnTopicWhereOperatorsWrite() throws Exception {
        try (Connection node = TlsClients.connect(url(), web01);
             Connection operator = TlsClients.connect(url(), alice)) {
            Session ns = node.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer broadcast = ns.createConsumer(ns.createTopic("orch.broadcast"));
            MessageConsumer direct = ns.createConsumer(ns.createTopic("orch.node.web01"));
            Session os = operator.createSession(false, Session.AUTO_ACKNOWLEDGE);
            os.createProducer(os.createTopic("orch.broadcast")).send(os.createTextMessage("to all"));
            os.createProducer(os.createTopic("orch.node.web01")).send(os.createTextMessage("to web01"));
            assertEquals("to all", text(broadcast.receive(RECEIVE_MS)));
            assertEquals("to web01", text(direct.receive(RECEIVE_MS)));
        }
    }

    @Test
    void nodeWritesEventsAndRegistryWhichOperatorsRead() throws Exception {
        try (Connection node = TlsClients.connect(url(), web01);
             Connection operator = TlsClients.connect(url(), alice)) {
            Session os = operator.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer events = os.createConsumer(os.createTopic("orch.events"));
            MessageConsumer registry = os.createConsumer(os.createTopic("orch.registry.>"));
            Session ns = node.createSession(false, Session.AUTO_ACKNOWLEDGE);
            ns.createProducer(ns.createTopic("orch.events")).send(ns.createTextMessage("started"));
            ns.createProducer(ns.createTopic("orch.registry.web01")).send(ns.createTextMessage("announce"));
            assertEquals("started", text(events.receive(RECEIVE_MS)));
            assertEquals("announce", text(registry.receive(RECEIVE_MS)));
        }
    }

    @Test
    void nodeRepliesOnTheOperatorsTemporaryQueue() throws Exception {
        try (Connection node = TlsClients.connect(url(), web01);
             Connection operator = TlsClients.connect(url(), alice)) {
            Session os = operator.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = os.createTemporaryQueue();
            MessageConsumer answers = os.createConsumer(replies);
            Session ns = node.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer requests = ns.createConsumer(ns.createTopic("orch.node.web01"));
            TextMessage request = os.createTextMessage("ping");
            request.setJMSReplyTo(replies);
            os.createProducer(os.createTopic("orch.node.web01")).send(request);

            Message got = requests.receive(RECEIVE_MS);
            assertNotNull(got);
            ns.createProducer(null).send(got.getJMSReplyTo(), ns.createTextMessage("pong"));
            assertEquals("pong", text(answers.receive(RECEIVE_MS)));
        }
    }

    @Test
    void nodeCannotPublishOnTheBroadcast() throws Exception {
        assertWriteRefused(web01, "orch.broadcast");
    }

    @Test
    void nodeCannotPublishOnAnotherNodesTopicNorOnItsOwn() throws Exception {
        assertWriteRefused(web01, "orch.node.web02");
        assertWriteRefused(web01, "orch.node.web01");
    }

    @Test
    void nodeCannotReachNodeTopicsThroughWildcardsOrCompositeNames() throws Exception {
        for (String name : List.of("orch.>", "orch.node.*", "orch.node.>", "*.broadcast", ">",
                "orch.events,orch.broadcast", "orch.registry.web01,orch.node.web02")) {
            assertWriteRefused(web01, name);
        }
    }

    @Test
    void aNamePatternANodeMayWriteCreatesATopicThatNoNodeSubscriptionSees() throws Exception {
        // "orch.*" is written literally (the map lets nodes write orch.events, which it matches); nodes
        // subscribe to exact names, so it reaches none of them: the operator's marker arrives first.
        try (Connection writer = TlsClients.connect(url(), web01);
             Connection reader = TlsClients.connect(url(), web02);
             Connection operator = TlsClients.connect(url(), alice)) {
            Session rs = reader.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer broadcast = rs.createConsumer(rs.createTopic("orch.broadcast"));
            Session ws = writer.createSession(false, Session.AUTO_ACKNOWLEDGE);
            ws.createProducer(ws.createTopic("orch.*")).send(ws.createTextMessage("forged"));
            Session os = operator.createSession(false, Session.AUTO_ACKNOWLEDGE);
            os.createProducer(os.createTopic("orch.broadcast")).send(os.createTextMessage("marker"));
            assertEquals("marker", text(broadcast.receive(RECEIVE_MS)));
        }
    }

    @Test
    void nodeCannotReadWhatOperatorsRead() throws Exception {
        assertReadRefused(web01, "orch.events");
        assertReadRefused(web01, "orch.registry.>");
        assertReadRefused(web01, "orch.>");
    }

    @Test
    void nodeCannotCreateTemporaryQueues() throws Exception {
        try (Connection node = TlsClients.connect(url(), web01)) {
            Session session = node.createSession(false, Session.AUTO_ACKNOWLEDGE);
            JMSSecurityException e = assertThrows(JMSSecurityException.class, session::createTemporaryQueue);
            assertTrue(e.getMessage().contains("User web01 is not authorized to create"), e.getMessage());
        }
    }

    @Test
    void destinationsOutsideTheCollectiveAreClosedToEveryone() throws Exception {
        assertWriteRefused(web01, "staging.events");
        assertWriteRefused(alice, "staging.broadcast");
        assertWriteRefused(alice, "ActiveMQ.Advisory.TempQueue");
    }

    // --- operators -------------------------------------------------------------------------------

    @Test
    void operatorCannotForgeNodeEventsOrAnnouncements() throws Exception {
        assertWriteRefused(alice, "orch.events");
        assertWriteRefused(alice, "orch.registry.web01");
    }

    @Test
    void operatorMarksTheEndOfTheRegistryItReadsOnTheBarrierTopicOnly() throws Exception {
        try (Connection operator = TlsClients.connect(url(), alice)) {
            Session os = operator.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer registry = os.createConsumer(os.createTopic("orch.registry.>"));
            os.createProducer(os.createTopic("orch.registry.~sync")).send(os.createTextMessage("marker"));
            assertEquals("marker", text(registry.receive(RECEIVE_MS)));
        }
        assertWriteRefused(alice, "orch.registry.web02");
        assertReadRefused(web01, "orch.registry.~sync");
    }

    void assertWriteRefused(TlsMaterial who, String topic) throws Exception {
        try (Connection connection = TlsClients.connect(url(), who)) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            // Both ways a client can write: a producer for the topic, and an anonymous producer's send.
            JMSSecurityException e = assertThrows(JMSSecurityException.class,
                    () -> session.createProducer(session.createTopic(topic)), topic);
            assertTrue(e.getMessage().startsWith("User " + who.name() + " is not authorized to write to: "),
                    e.getMessage());
            MessageProducer anonymous = session.createProducer(null);
            assertThrows(JMSSecurityException.class,
                    () -> anonymous.send(session.createTopic(topic), session.createTextMessage("{}")), topic);
        }
    }

    void assertReadRefused(TlsMaterial who, String topic) throws Exception {
        try (Connection connection = TlsClients.connect(url(), who)) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            JMSSecurityException e = assertThrows(JMSSecurityException.class,
                    () -> session.createConsumer(session.createTopic(topic)), topic);
            assertTrue(e.getMessage().startsWith("User " + who.name() + " is not authorized to read from: "),
                    e.getMessage());
        }
    }

    /**
     * The TLS layer refused the client: the connection failed on I/O (with TLS 1.3 the client learns of
     * the broker's refusal only as a closed channel), never got as far as a login, and did not time out.
     */
    static void assertRefusedByTls(JMSException e) {
        assertClosedByTheBroker(e);
        assertTrue(causes(e).stream().noneMatch(t -> t instanceof JMSSecurityException || t instanceof SecurityException),
                "refused before any login: " + causes(e));
    }

    static void assertClosedByTheBroker(JMSException e) {
        List<Throwable> causes = causes(e);
        assertTrue(causes.stream().anyMatch(t -> t instanceof java.io.IOException), "an I/O failure: " + causes);
        assertTrue(causes.stream().noneMatch(t -> t instanceof org.apache.activemq.transport.RequestTimedOutIOException),
                "closed, not timed out: " + causes);
    }

    static List<Throwable> causes(Throwable e) {
        List<Throwable> all = new java.util.ArrayList<>();
        for (Throwable t = e; t != null && !all.contains(t); t = t.getCause()) {
            all.add(t);
        }
        return all;
    }

    private static String text(Message message) throws JMSException {
        assertNotNull(message, "no message within " + RECEIVE_MS + " ms");
        return assertInstanceOf(TextMessage.class, message).getText();
    }
}
