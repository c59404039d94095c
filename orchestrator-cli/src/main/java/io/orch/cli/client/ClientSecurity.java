package io.orch.cli.client;

import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.SecureEnvelope;
import io.orch.trust.Credentials;
import io.orch.trust.DeferredTls;
import io.orch.trust.KnownCertificates;
import io.orch.trust.TlsMaterial;
import java.security.SecureRandom;
import org.apache.activemq.ActiveMQSslConnectionFactory;
import io.orch.trust.Sealer;
import io.orch.trust.TrustException;
import io.orch.trust.Verifier;
import java.time.Clock;
import java.util.Objects;
import org.apache.activemq.ActiveMQConnectionFactory;

/**
 * The operator's side of trust: requests go out signed with the operator's key, and a reply or
 * event counts only when its certificate chains to the site's CA and names the node it speaks for.
 */
public final class ClientSecurity {
    private final Credentials credentials;
    private final Sealer sealer;
    private final Verifier verifier;
    private final KnownCertificates known;

    private ClientSecurity(Credentials credentials, Sealer sealer, Verifier verifier, KnownCertificates known) {
        this.credentials = credentials;
        this.sealer = sealer;
        this.verifier = verifier;
        this.known = known;
    }

    public static ClientSecurity of(Credentials credentials, Clock clock) {
        Objects.requireNonNull(credentials, "credentials == null");
        return new ClientSecurity(credentials, Sealer.signing(new Codec(), credentials),
                Verifier.of(credentials.ca(), clock), null);
    }

    /**
     * As {@link #of(Credentials, Clock)}, remembering checked certificate chains in {@code knownFile}
     * between runs (the CLI's state folder), for an hour and only for the same CA and CRLs.
     */
    public static ClientSecurity of(Credentials credentials, Clock clock, java.nio.file.Path knownFile) {
        Objects.requireNonNull(credentials, "credentials == null");
        KnownCertificates known = KnownCertificates.open(knownFile, credentials.ca(), clock.instant());
        return new ClientSecurity(credentials, Sealer.signing(new Codec(), credentials),
                Verifier.of(credentials.ca(), clock, known), known);
    }

    /** Keeps the chains checked in this run for the next one; never fails. */
    public void save() {
        if (known != null) {
            known.save();
        }
    }

    /** {@code security: insecure}: nothing signed, every reply and event believed. */
    public static ClientSecurity insecure(Clock clock) {
        return new ClientSecurity(null, Sealer.unsigned(new Codec()), Verifier.insecure(clock), null);
    }

    public boolean insecure() {
        return credentials == null;
    }

    /** Who the requests are from: the certificate's name, or null when insecure. */
    public String signer() {
        return credentials == null ? null : credentials.name();
    }

    public Credentials credentials() {
        return credentials;
    }

    public Sealer sealer() {
        return sealer;
    }

    /**
     * Why a message claiming to come from {@code node} is not believed, or null when it is.
     */
    public String problem(SecureEnvelope envelope, String node) {
        try {
            Verifier.Signer signer = verifier.verify(envelope, node);
            if (signer.verified() && !signer.name().equals(node)) {
                return "signed by '" + signer.name() + "', not by the node it speaks for";
            }
            return null;
        } catch (TrustException e) {
            return e.getMessage();
        }
    }

    /**
     * The operator's certificate and key for TLS to the broker, checked against the site's CA.
     *
     * @throws io.orch.cli.UsageException when the JDK cannot use them (exit code 2)
     */
    TlsMaterial tlsMaterial() {
        try {
            return TlsMaterial.of(credentials);
        } catch (TrustException e) {
            throw new io.orch.cli.UsageException("cannot use " + credentials.name() + "'s key for TLS to the broker: "
                    + e.getMessage());
        }
    }

    /**
     * A connection factory for {@code url}: with {@code tls} (the operator's certificate, perhaps still being read)
     * for {@code ssl://}, or none at all for {@code security: insecure}.
     */
    static ActiveMQConnectionFactory connectionFactory(String url, DeferredTls tls) {
        if (tls == null) {
            return new ActiveMQConnectionFactory(url);
        }
        ActiveMQSslConnectionFactory factory = new ActiveMQSslConnectionFactory(url);
        factory.setKeyAndTrustManagers(tls.keyManagers(), tls.trustManagers(), new SecureRandom());
        return factory;
    }
}
