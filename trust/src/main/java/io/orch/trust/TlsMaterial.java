package io.orch.trust;

import java.security.GeneralSecurityException;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * One identity's TLS material for the broker connection, made from its {@link Credentials}: the
 * key managers present its certificate (with the intermediates that lead to the site's root), the
 * trust managers accept only certificates that chain to the site's CA and, when the site has a CRL,
 * are not revoked. The same material serves both ends: a client (responder, CLI, lab) checks the
 * broker with it, the broker checks its clients with it. Everything stays in memory; nothing is
 * written to a keystore file.
 *
 * <p>An ActiveMQ client connects with it in three lines (hostname verification stays on, as
 * ActiveMQ's {@code ssl://} transport has it by default on the client side, so the broker's
 * certificate must name the host of the URL in its subject alternative names):
 *
 * <pre>{@code
 * TlsMaterial tls = TlsMaterial.of(credentials);
 * ActiveMQSslConnectionFactory factory = new ActiveMQSslConnectionFactory("ssl://mq1.example.com:61617");
 * factory.setKeyAndTrustManagers(tls.keyManagers(), tls.trustManagers(), new SecureRandom());
 * }</pre>
 *
 * {@code failover:(ssl://a:61617,ssl://b:61617)} works the same way: the failover transport keeps
 * the factory's TLS material for its reconnects.
 */
public final class TlsMaterial {
    private final String name;
    private final List<X509Certificate> presented;
    private final KeyManager[] keyManagers;
    private final TrustManager[] trustManagers;
    private final SSLContext sslContext;

    private TlsMaterial(String name, List<X509Certificate> presented, KeyManager[] keyManagers,
                        TrustManager[] trustManagers, SSLContext sslContext) {
        this.name = name;
        this.presented = presented;
        this.keyManagers = keyManagers;
        this.trustManagers = trustManagers;
        this.sslContext = sslContext;
    }

    /** @throws TrustException when the JDK cannot use the key or the CA for TLS */
    public static TlsMaterial of(Credentials credentials) throws TrustException {
        Objects.requireNonNull(credentials, "credentials == null");
        List<X509Certificate> presented = credentials.path();
        KeyManager[] keyManagers = {new SingleKeyManager(credentials.key(), presented)};
        TrustManager[] trustManagers = trustManagers(credentials.ca());
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(keyManagers, trustManagers, null);
        } catch (GeneralSecurityException e) {
            throw new TrustException("this JDK cannot make a TLS context: " + e.getMessage(), e);
        }
        return new TlsMaterial(credentials.name(), List.copyOf(presented), keyManagers, trustManagers, context);
    }

    /**
     * Trust managers that accept a peer only with a chain to one of the site's roots (the CA
     * bundle's other certificates may complete it), valid now, and not revoked by the site's CRLs
     * when it has any. A peer whose revocation cannot be checked (no CRL from its issuer) is refused.
     */
    public static TrustManager[] trustManagers(SiteCa ca) throws TrustException {
        Objects.requireNonNull(ca, "ca == null");
        try {
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(ca.anchors(), new X509CertSelector());
            List<Object> store = new ArrayList<>(ca.intermediates());
            store.addAll(ca.crls());
            parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(store)));
            parameters.setRevocationEnabled(!ca.crls().isEmpty());
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(new CertPathTrustManagerParameters(parameters));
            return factory.getTrustManagers();
        } catch (GeneralSecurityException e) {
            throw new TrustException("the site's CA cannot be used for TLS: " + e.getMessage(), e);
        }
    }

    /** The identity: the certificate's common name. */
    public String name() {
        return name;
    }

    /** What this identity presents in a handshake: its certificate first, then the intermediates up to the root. */
    public List<X509Certificate> presented() {
        return presented;
    }

    public KeyManager[] keyManagers() {
        return keyManagers.clone();
    }

    public TrustManager[] trustManagers() {
        return trustManagers.clone();
    }

    /** A TLS context (TLS 1.2 or 1.3, as the JDK enables them) with these key and trust managers. */
    public SSLContext sslContext() {
        return sslContext;
    }
}
