package io.orch.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.cert.CertPathValidatorException;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** TLS handshakes over loopback with the site's PKI: who is let in, and every reason one side refuses the other. */
class TlsMaterialTest {
    private static final Duration YEAR = Duration.ofDays(365);

    static LocalCa site;
    static LocalCa other;
    static LocalCa.Issued revoked;
    static SiteCa ca;

    @BeforeAll
    static void pki() throws Exception {
        site = LocalCa.create("orch test CA", LocalCa.KeyType.EC, YEAR);
        other = LocalCa.create("somebody else's CA", LocalCa.KeyType.EC, YEAR);
        revoked = site.issue("stolen", LocalCa.KeyType.EC, YEAR);
        ca = SiteCa.of(List.of(site.certificate()), List.of(site.crl(revoked.certificate())), "test");
    }

    /** The outcome of one handshake: what each side saw. */
    record Outcome(String serverSawPeer, Exception serverFailure, Exception clientFailure) {
    }

    @Test
    void clientAndServerOfTheSiteCaShakeHandsAndTheServerSeesTheClientsName() throws Exception {
        Outcome outcome = handshake(broker(site), material(site, site.issue("alice", LocalCa.KeyType.EC, YEAR)));
        assertNull(outcome.clientFailure());
        assertNull(outcome.serverFailure());
        assertEquals("CN=alice", outcome.serverSawPeer());
    }

    @Test
    void ed25519ClientCertificateWorksToo() throws Exception {
        Outcome outcome = handshake(broker(site), material(site, site.issue("lab-0001", LocalCa.KeyType.ED25519, YEAR)));
        assertNull(outcome.serverFailure());
        assertEquals("CN=lab-0001", outcome.serverSawPeer());
    }

    @Test
    void clientCertificateFromAnotherCaIsRefusedByTheServer() throws Exception {
        SiteCa theirs = SiteCa.of(List.of(other.certificate(), site.certificate()), List.of(), "test");
        LocalCa.Issued mallory = other.issue("alice", LocalCa.KeyType.EC, YEAR);
        TlsMaterial client = TlsMaterial.of(Credentials.of(theirs, mallory.certificate(), List.of(),
                mallory.keys().getPrivate(), Instant.now(), "test"));
        Outcome outcome = handshake(broker(site), client);
        assertInstanceOf(SSLHandshakeException.class, outcome.serverFailure());
        assertNull(outcome.serverSawPeer());
        assertNotNull(outcome.clientFailure(), "the client learns it was refused");
    }

    @Test
    void revokedClientCertificateIsRefusedByTheServerAsRevoked() throws Exception {
        // The client's own view of the CA has no CRL, so it offers its revoked certificate all the same.
        SiteCa noCrl = SiteCa.of(List.of(site.certificate()), List.of(), "test");
        TlsMaterial client = TlsMaterial.of(Credentials.of(noCrl, revoked.certificate(), List.of(),
                revoked.keys().getPrivate(), Instant.now(), "test"));
        Outcome outcome = handshake(broker(site), client);
        assertInstanceOf(SSLHandshakeException.class, outcome.serverFailure());
        assertEquals(CertPathValidatorException.BasicReason.REVOKED, reason(outcome.serverFailure()));
        assertNotNull(outcome.clientFailure());
    }

    @Test
    void clientWithoutACertificateIsRefusedByTheServer() throws Exception {
        javax.net.ssl.SSLContext anonymous = javax.net.ssl.SSLContext.getInstance("TLS");
        anonymous.init(null, TlsMaterial.trustManagers(ca), null);
        Outcome outcome = handshake(broker(site), anonymous);
        assertInstanceOf(SSLHandshakeException.class, outcome.serverFailure());
        assertTrue(outcome.serverFailure().getMessage().contains("Empty client certificate chain")
                || outcome.serverFailure().getMessage().contains("certificate_required"),
                outcome.serverFailure().getMessage());
    }

    @Test
    void brokerCertificateFromAnotherCaIsRefusedByTheClient() throws Exception {
        Outcome outcome = handshake(broker(other), material(site, site.issue("alice", LocalCa.KeyType.EC, YEAR)));
        assertInstanceOf(SSLHandshakeException.class, outcome.clientFailure());
    }

    @Test
    void brokerCertificateNotNamingTheHostIsRefusedByTheClient() throws Exception {
        LocalCa.Issued elsewhere = site.issue("mq1.example.com", LocalCa.KeyType.EC, YEAR, "mq1.example.com");
        Outcome outcome = handshake(material(site, elsewhere), material(site, site.issue("alice", LocalCa.KeyType.EC, YEAR)));
        assertInstanceOf(SSLHandshakeException.class, outcome.clientFailure());
        assertTrue(outcome.clientFailure().getMessage().contains("No subject alternative names matching IP address 127.0.0.1"),
                outcome.clientFailure().getMessage());
    }

    @Test
    void revokedBrokerCertificateIsRefusedByTheClient() throws Exception {
        LocalCa.Issued brokerKey = site.issue("broker", LocalCa.KeyType.EC, YEAR, "localhost", "127.0.0.1");
        SiteCa withCrl = SiteCa.of(List.of(site.certificate()), List.of(site.crl(brokerKey.certificate())), "test");
        SiteCa noCrl = SiteCa.of(List.of(site.certificate()), List.of(), "test");
        TlsMaterial brokerTls = TlsMaterial.of(Credentials.of(noCrl, brokerKey.certificate(), List.of(),
                brokerKey.keys().getPrivate(), Instant.now(), "test"));
        LocalCa.Issued alice = site.issue("alice", LocalCa.KeyType.EC, YEAR);
        TlsMaterial client = TlsMaterial.of(Credentials.of(withCrl, alice.certificate(), List.of(),
                alice.keys().getPrivate(), Instant.now(), "test"));
        Outcome outcome = handshake(brokerTls, client);
        assertInstanceOf(SSLHandshakeException.class, outcome.clientFailure());
        assertEquals(CertPathValidatorException.BasicReason.REVOKED, reason(outcome.clientFailure()));
    }

    @Test
    void clientUnderAnIntermediateSendsTheIntermediateSoARootOnlyServerAcceptsIt() throws Exception {
        LocalCa intermediate = site.intermediate("orch intermediate", LocalCa.KeyType.EC, YEAR);
        LocalCa.Issued web01 = intermediate.issue("web01", LocalCa.KeyType.EC, YEAR);
        X509CRL rootCrl = site.crl();
        X509CRL intermediateCrl = intermediate.crl();
        // The client's ca.pem holds the intermediate (as Puppet's does); its certificate file holds the leaf alone.
        SiteCa clientView = SiteCa.of(List.of(intermediate.certificate(), site.certificate()),
                List.of(rootCrl, intermediateCrl), "test");
        TlsMaterial client = TlsMaterial.of(Credentials.of(clientView, web01.certificate(), List.of(),
                web01.keys().getPrivate(), Instant.now(), "test"));
        assertEquals(List.of(web01.certificate(), intermediate.certificate()), client.presented());

        // The server knows only the root (and both CRLs): the chain must come from the client.
        SiteCa serverView = SiteCa.of(List.of(site.certificate()), List.of(rootCrl, intermediateCrl), "test");
        LocalCa.Issued brokerKey = site.issue("broker", LocalCa.KeyType.EC, YEAR, "localhost", "127.0.0.1");
        TlsMaterial server = TlsMaterial.of(Credentials.of(serverView, brokerKey.certificate(), List.of(),
                brokerKey.keys().getPrivate(), Instant.now(), "test"));
        Outcome outcome = handshake(server, client);
        assertNull(outcome.serverFailure());
        assertEquals("CN=web01", outcome.serverSawPeer());
    }

    /**
     * Keys as sites have them, read back from PEM files, on both ends and both TLS versions, also in
     * a JVM where a library registered Bouncy Castle as a provider: Bouncy Castle's PEM reader then
     * makes an EC key its own "ECDSA" object, which JSSE does not take. The key manager hands JSSE
     * the JDK's own key.
     */
    @ParameterizedTest(name = "{0} keys over {1}")
    @CsvSource({"EC, TLSv1.3, false", "EC, TLSv1.2, false", "ED25519, TLSv1.3, false", "RSA, TLSv1.3, false",
        "RSA, TLSv1.2, false", "EC, TLSv1.3, true", "EC, TLSv1.2, true", "ED25519, TLSv1.3, true",
        "RSA, TLSv1.3, true"})
    void keysReadFromPemFilesShakeHandsOnEitherTlsVersion(LocalCa.KeyType type, String protocol,
                                                         boolean bouncyCastleRegistered, @TempDir Path dir)
            throws Exception {
        if (!bouncyCastleRegistered) {
            handshakeWithKeysFromPem(type, protocol, dir);
            return;
        }
        java.security.Security.addProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider());
        try {
            handshakeWithKeysFromPem(type, protocol, dir);
        } finally {
            java.security.Security.removeProvider(org.bouncycastle.jce.provider.BouncyCastleProvider.PROVIDER_NAME);
        }
    }

    private static void handshakeWithKeysFromPem(LocalCa.KeyType type, String protocol, Path dir) throws Exception {
        LocalCa.Issued brokerKey = site.issue("broker", type, YEAR, "localhost", "127.0.0.1");
        LocalCa.Issued alice = site.issue("alice", type, YEAR);
        TlsMaterial server = TlsMaterial.of(Credentials.of(ca, brokerKey.certificate(), List.of(),
                Pem.privateKey(LocalCa.writePrivateKey(dir.resolve("broker.pem"), brokerKey.keys().getPrivate())),
                Instant.now(), "test"));
        TlsMaterial client = TlsMaterial.of(Credentials.of(ca, alice.certificate(), List.of(),
                Pem.privateKey(LocalCa.writePrivateKey(dir.resolve("alice.pem"), alice.keys().getPrivate())),
                Instant.now(), "test"));
        javax.net.ssl.SSLContext pinned = javax.net.ssl.SSLContext.getInstance(protocol);
        pinned.init(client.keyManagers(), client.trustManagers(), null);
        Outcome outcome = handshake(server, pinned);
        assertNull(outcome.serverFailure(), () -> String.valueOf(outcome));
        assertNull(outcome.clientFailure(), () -> String.valueOf(outcome));
        assertEquals("CN=alice", outcome.serverSawPeer());
    }

    @Test
    void theKeyIsOfferedOnlyForItsOwnTypeAndToAPeerThatTrustsItsCa() throws Exception {
        LocalCa.Issued alice = site.issue("alice", LocalCa.KeyType.EC, YEAR);
        javax.net.ssl.X509KeyManager keys = (javax.net.ssl.X509KeyManager) material(site, alice).keyManagers()[0];
        java.security.Principal ours = site.certificate().getSubjectX500Principal();
        java.security.Principal theirs = other.certificate().getSubjectX500Principal();
        String alias = keys.chooseClientAlias(new String[] {"RSA", "EC"}, new java.security.Principal[] {ours}, null);
        assertNotNull(alias);
        assertEquals(alice.certificate(), keys.getCertificateChain(alias)[0]);
        assertEquals("EC", keys.getPrivateKey(alias).getAlgorithm());
        assertNull(keys.chooseClientAlias(new String[] {"RSA", "EdDSA"}, null, null));
        assertNull(keys.chooseClientAlias(new String[] {"EC"}, new java.security.Principal[] {theirs}, null));
        assertNull(keys.chooseServerAlias("RSA", null, null));
        assertNotNull(keys.chooseServerAlias("EC", null, null));
        assertNull(keys.getPrivateKey("someone-else"));
    }

    @Test
    void materialNamesItsIdentityAndHandsOutCopies() throws Exception {
        TlsMaterial alice = material(site, site.issue("alice", LocalCa.KeyType.EC, YEAR));
        assertEquals("alice", alice.name());
        assertTrue(alice.keyManagers() != alice.keyManagers());
        assertTrue(alice.trustManagers() != alice.trustManagers());
    }

    private static TlsMaterial broker(LocalCa issuer) throws Exception {
        return material(issuer, issuer.issue("broker", LocalCa.KeyType.EC, YEAR, "localhost", "127.0.0.1"));
    }

    /** {@code issued}'s material, trusting {@link #site} (with its CRL) whoever issued it. */
    private static TlsMaterial material(LocalCa issuer, LocalCa.Issued issued) throws Exception {
        SiteCa view = issuer == site ? ca
                : SiteCa.of(List.of(issuer.certificate(), site.certificate()), List.of(site.crl(revoked.certificate()), issuer.crl()), "test");
        return TlsMaterial.of(Credentials.of(view, issued.certificate(), List.of(), issued.keys().getPrivate(),
                Instant.now(), "test"));
    }

    private static Outcome handshake(TlsMaterial server, TlsMaterial client) throws Exception {
        return handshake(server, client.sslContext());
    }

    /**
     * The server requires a client certificate; the client verifies the server's name as ActiveMQ's
     * {@code ssl://} transport does (endpoint identification "HTTPS" against the URL's host).
     */
    private static Outcome handshake(TlsMaterial server, javax.net.ssl.SSLContext client) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (SSLServerSocket listening = (SSLServerSocket) server.sslContext().getServerSocketFactory()
                .createServerSocket(0, 1, loopback)) {
            listening.setNeedClientAuth(true);
            CompletableFuture<Object> served = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) listening.accept()) {
                    accepted.startHandshake();
                    String peer = accepted.getSession().getPeerPrincipal().getName();
                    accepted.getOutputStream().write(1);
                    accepted.getOutputStream().flush();
                    return peer;
                } catch (Exception e) {
                    return e;
                }
            });
            Exception clientFailure = null;
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(loopback, listening.getLocalPort())) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
                socket.setSoTimeout(10_000);
                socket.startHandshake();
                // With TLS 1.3 the server judges the client's certificate after the client's side of the
                // handshake is done: the refusal arrives on the first read.
                if (socket.getInputStream().read() != 1) {
                    throw new IOException("the server closed the connection");
                }
            } catch (IOException e) {
                clientFailure = e;
            }
            Object result = served.get(20, TimeUnit.SECONDS);
            return result instanceof Exception e ? new Outcome(null, e, clientFailure)
                    : new Outcome((String) result, null, clientFailure);
        }
    }

    private static CertPathValidatorException.Reason reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CertPathValidatorException e) {
                return e.getReason();
            }
        }
        return null;
    }

    @Test
    void noCredentialsNoMaterial() {
        assertThrows(NullPointerException.class, () -> TlsMaterial.of(null));
    }
}
