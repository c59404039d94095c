package io.orch.playground.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.trust.LocalCa;
import io.orch.trust.TlsMaterial;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The embedded broker in TLS mode ({@link EmbeddedBroker#startTls}) holds the {@link BrokerAclContract}, and more. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsBrokerTest extends BrokerAclContract {
    EmbeddedBroker broker;

    @BeforeAll
    void start() throws Exception {
        identities();
        broker = EmbeddedBroker.startTls("127.0.0.1", 0, pki.broker(), BrokerAccess.operators("alice"));
    }

    @AfterAll
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Override
    String url() {
        return broker.url();
    }

    @Test
    void tlsBrokerListensOnOneSslTransportAndNoPlainTcp() throws Exception {
        List<URI> listening = broker.listening();
        assertEquals(1, listening.size(), listening.toString());
        assertEquals("ssl", listening.get(0).getScheme());
        assertTrue(broker.url().startsWith("ssl://127.0.0.1:"), broker.url());
    }

    @Test
    void brokerWhoseCertificateDoesNotNameTheHostIsRefusedByTheClient() throws Exception {
        // Hostname verification is on by default on ActiveMQ's ssl:// client side.
        TlsMaterial misnamed = TlsClients.material(pki.ca,
                pki.site.issue("mq1.example.com", LocalCa.KeyType.EC, TlsClients.YEAR, "mq1.example.com"));
        try (EmbeddedBroker other = EmbeddedBroker.startTls("127.0.0.1", 0, misnamed, BrokerAccess.operators("alice"))) {
            JMSException e = assertThrows(JMSException.class, () -> TlsClients.connect(other.url(), alice));
            // ActiveMQ reports the client's own handshake failure ("No subject alternative names matching IP
            // address 127.0.0.1 found"), or, when its reader thread gets there first, the socket that closed.
            assertTrue(causes(e).stream().anyMatch(t -> t instanceof javax.net.ssl.SSLHandshakeException
                    || t instanceof java.net.SocketException), causes(e).toString());
            // The control: the same broker, certificate and client are fine once the name is not checked.
            try (Connection unchecked = TlsClients.connect(other.url() + "?verifyHostName=false", alice)) {
                unchecked.createSession(false, Session.AUTO_ACKNOWLEDGE).close();
            }
        }
    }

    @Test
    void failoverUrlsConnectWithTheSameMaterial() throws Exception {
        try (Connection connection = TlsClients.connect("failover:(" + broker.url() + ")?maxReconnectAttempts=0", web01)) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createTopic("orch.events")).send(session.createTextMessage("{}"));
        }
    }
}
