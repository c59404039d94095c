package io.orch.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.security.cert.CertPathValidatorException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A handshake begun before the client's key material is read: it waits for the material, and then every check is
 * the material's own (the site's CA, its CRL, the host name), exactly as with the material at hand.
 */
class DeferredTlsTest {
    private static final Duration YEAR = Duration.ofDays(365);

    static LocalCa site;
    static LocalCa other;

    @BeforeAll
    static void pki() throws Exception {
        site = LocalCa.create("orch test CA", LocalCa.KeyType.EC, YEAR);
        other = LocalCa.create("somebody else's CA", LocalCa.KeyType.EC, YEAR);
    }

    record Outcome(String serverSawPeer, Exception serverFailure, Exception clientFailure) {
    }

    @Test
    void handshakeBegunBeforeTheMaterialWaitsForItAndPresentsTheClientsCertificate() throws Exception {
        CompletableFuture<TlsMaterial> later = new CompletableFuture<>();
        CountDownLatch asked = new CountDownLatch(1);
        Outcome outcome = handshake(broker(site, "127.0.0.1"), new DeferredTls(later), () -> {
            asked.countDown();
        }, () -> {
            // Handed over only once the handshake is under way, as the CLI does after reading the files.
            assertTrue(asked.await(20, TimeUnit.SECONDS));
            later.complete(client(site, site));
        });
        assertNull(outcome.clientFailure());
        assertNull(outcome.serverFailure());
        assertEquals("CN=alice", outcome.serverSawPeer());
    }

    @Test
    void brokerCertificateFromAnotherCaIsStillRefused() throws Exception {
        Outcome outcome = handshake(broker(other, "127.0.0.1"), new DeferredTls(CompletableFuture.completedFuture(
                client(site, site))), () -> { }, () -> { });
        assertInstanceOf(SSLHandshakeException.class, outcome.clientFailure());
    }

    @Test
    void brokerCertificateNotNamingTheHostIsStillRefused() throws Exception {
        Outcome outcome = handshake(broker(site, "mq1.example.com"), new DeferredTls(
                CompletableFuture.completedFuture(client(site, site))), () -> { }, () -> { });
        assertInstanceOf(SSLHandshakeException.class, outcome.clientFailure());
        assertTrue(outcome.clientFailure().getMessage().contains("No subject alternative names matching IP address"),
                outcome.clientFailure().getMessage());
    }

    @Test
    void revokedBrokerCertificateIsStillRefusedAsRevoked() throws Exception {
        LocalCa.Issued brokerKey = site.issue("broker", LocalCa.KeyType.EC, YEAR, "localhost", "127.0.0.1");
        SiteCa noCrl = SiteCa.of(List.of(site.certificate()), List.of(), "test");
        TlsMaterial brokerTls = TlsMaterial.of(Credentials.of(noCrl, brokerKey.certificate(), List.of(),
                brokerKey.keys().getPrivate(), Instant.now(), "test"));
        SiteCa withCrl = SiteCa.of(List.of(site.certificate()), List.of(site.crl(brokerKey.certificate())), "test");
        LocalCa.Issued alice = site.issue("alice", LocalCa.KeyType.EC, YEAR);
        TlsMaterial client = TlsMaterial.of(Credentials.of(withCrl, alice.certificate(), List.of(),
                alice.keys().getPrivate(), Instant.now(), "test"));
        Outcome outcome = handshake(brokerTls, new DeferredTls(CompletableFuture.completedFuture(client)),
                () -> { }, () -> { });
        assertInstanceOf(SSLHandshakeException.class, outcome.clientFailure());
        CertPathValidatorException.Reason reason = null;
        for (Throwable t = outcome.clientFailure(); t != null; t = t.getCause()) {
            if (t instanceof CertPathValidatorException e) {
                reason = e.getReason();
            }
        }
        assertEquals(CertPathValidatorException.BasicReason.REVOKED, reason);
    }

    @Test
    void materialThatNeverComesFailsTheHandshakeAndNothingIsPresented() throws Exception {
        CompletableFuture<TlsMaterial> refused = new CompletableFuture<>();
        refused.completeExceptionally(new TrustException("key.pem: no such file"));
        Outcome outcome = handshake(broker(site, "127.0.0.1"), new DeferredTls(refused), () -> { }, () -> { });
        assertNotNull(outcome.clientFailure());
        assertNull(outcome.serverSawPeer());
    }

    private static TlsMaterial broker(LocalCa issuer, String name) throws Exception {
        LocalCa.Issued key = issuer.issue("broker", LocalCa.KeyType.EC, YEAR, name);
        return TlsMaterial.of(Credentials.of(SiteCa.of(List.of(issuer.certificate(), site.certificate()), List.of(),
                "test"), key.certificate(), List.of(), key.keys().getPrivate(), Instant.now(), "test"));
    }

    private static TlsMaterial client(LocalCa issuer, LocalCa trusted) throws Exception {
        LocalCa.Issued alice = issuer.issue("alice", LocalCa.KeyType.EC, YEAR);
        return TlsMaterial.of(Credentials.of(SiteCa.of(List.of(trusted.certificate()), List.of(), "test"),
                alice.certificate(), List.of(), alice.keys().getPrivate(), Instant.now(), "test"));
    }

    interface Step {
        void run() throws Exception;
    }

    /**
     * The server requires a client certificate; the client verifies the server's name as ActiveMQ's {@code ssl://}
     * transport does. {@code accepted} runs when the server has the connection (the client's handshake is under
     * way), {@code meanwhile} on this thread while the client's handshake runs on another.
     */
    private static Outcome handshake(TlsMaterial server, DeferredTls deferred, Step accepted, Step meanwhile)
            throws Exception {
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(deferred.keyManagers(), deferred.trustManagers(), null);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        java.util.concurrent.ExecutorService clientThread = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (SSLServerSocket listening = (SSLServerSocket) server.sslContext().getServerSocketFactory()
                .createServerSocket(0, 1, loopback)) {
            listening.setNeedClientAuth(true);
            CompletableFuture<Object> served = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket socket = (SSLSocket) listening.accept()) {
                    accepted.run();
                    socket.startHandshake();
                    String peer = socket.getSession().getPeerPrincipal().getName();
                    socket.getOutputStream().write(1);
                    socket.getOutputStream().flush();
                    return peer;
                } catch (Exception e) {
                    return e;
                }
            });
            CompletableFuture<Exception> clientSide = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(loopback,
                        listening.getLocalPort())) {
                    SSLParameters parameters = socket.getSSLParameters();
                    parameters.setEndpointIdentificationAlgorithm("HTTPS");
                    socket.setSSLParameters(parameters);
                    socket.setSoTimeout(10_000);
                    socket.startHandshake();
                    if (socket.getInputStream().read() != 1) {
                        throw new IOException("the server closed the connection");
                    }
                    return null;
                } catch (IOException | RuntimeException e) {
                    return e;
                }
            }, clientThread);
            meanwhile.run();
            Exception clientFailure = clientSide.get(20, TimeUnit.SECONDS);
            Object result = served.get(20, TimeUnit.SECONDS);
            return result instanceof Exception e ? new Outcome(null, e, clientFailure)
                    : new Outcome((String) result, null, clientFailure);
        } finally {
            clientThread.shutdownNow();
        }
    }
}
