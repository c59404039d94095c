package io.orch.playground.broker;

import io.orch.trust.Credentials;
import io.orch.trust.LocalCa;
import io.orch.trust.SiteCa;
import io.orch.trust.TlsMaterial;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.activemq.ActiveMQSslConnectionFactory;

/** A throwaway site PKI for one test class, and JMS connections over TLS with its certificates. */
final class TlsClients {
    static final Duration YEAR = Duration.ofDays(365);

    final LocalCa site;
    final SiteCa ca;
    final X509CRL crl;
    final LocalCa.Issued revoked;
    /** The broker's certificate: it names the loopback host as clients reach it. */
    final LocalCa.Issued brokerCertificate;

    TlsClients() throws Exception {
        site = LocalCa.create("orch test CA", LocalCa.KeyType.EC, YEAR);
        revoked = site.issue("stolen", LocalCa.KeyType.EC, YEAR);
        crl = site.crl(revoked.certificate());
        ca = SiteCa.of(List.of(site.certificate()), List.of(crl), "test CA");
        brokerCertificate = site.issue("broker", LocalCa.KeyType.EC, YEAR, "localhost", "127.0.0.1");
    }

    TlsMaterial broker() throws Exception {
        return material(ca, brokerCertificate);
    }

    TlsMaterial identity(String name) throws Exception {
        return material(ca, site.issue(name, LocalCa.KeyType.EC, YEAR));
    }

    /** The revoked certificate, in the hands of a client whose own view of the CA has no CRL. */
    TlsMaterial revokedIdentity() throws Exception {
        return material(SiteCa.of(List.of(site.certificate()), List.of(), "test CA without CRL"), revoked);
    }

    /** A certificate of somebody else's CA (the client trusts the site's CA too, so only the broker can refuse). */
    TlsMaterial foreignIdentity(String name) throws Exception {
        LocalCa other = LocalCa.create("somebody else's CA", LocalCa.KeyType.EC, YEAR);
        SiteCa both = SiteCa.of(List.of(other.certificate(), site.certificate()), List.of(crl, other.crl()), "both");
        return material(both, other.issue(name, LocalCa.KeyType.EC, YEAR));
    }

    static TlsMaterial material(SiteCa view, LocalCa.Issued issued) throws Exception {
        return TlsMaterial.of(Credentials.of(view, issued.certificate(), List.of(), issued.keys().getPrivate(),
                Instant.now(), "test"));
    }

    /**
     * The three lines every orch client uses, set up as orch's clients are (no advisory watching); sends
     * are synchronous so that a refusal comes back as an exception.
     */
    static ActiveMQSslConnectionFactory factory(String url, TlsMaterial tls) {
        ActiveMQSslConnectionFactory factory = new ActiveMQSslConnectionFactory(url);
        factory.setKeyAndTrustManagers(tls.keyManagers(), tls.trustManagers(), new SecureRandom());
        factory.setWatchTopicAdvisories(false);
        factory.setAlwaysSyncSend(true);
        factory.setConnectResponseTimeout(20_000);
        return factory;
    }

    static Connection connect(String url, TlsMaterial tls) throws JMSException {
        Connection connection = factory(url, tls).createConnection();
        try {
            connection.start();
        } catch (JMSException e) {
            connection.close();
            throw e;
        }
        return connection;
    }
}
