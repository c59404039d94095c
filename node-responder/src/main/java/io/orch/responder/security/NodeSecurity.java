package io.orch.responder.security;

import io.orch.protocol.envelope.Codec;
import io.orch.responder.policy.Policy;
import io.orch.responder.policy.PolicySource;
import io.orch.trust.Credentials;
import io.orch.trust.TlsMaterial;
import io.orch.trust.TrustException;
import java.security.SecureRandom;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.ActiveMQSslConnectionFactory;
import io.orch.trust.Sealer;
import io.orch.trust.Verifier;
import java.time.Clock;
import java.util.Objects;

/**
 * How one node trusts and is trusted: it signs its replies and events ({@link #sealer}), checks who
 * signed each request ({@link #verifier}) and asks its policy who may do what ({@link #policy}).
 *
 * @param credentials the node's certificate and key (also its TLS identity to the broker), or null when insecure
 */
public record NodeSecurity(Sealer sealer, Verifier verifier, PolicySource policy, Credentials credentials) {
    public NodeSecurity {
        Objects.requireNonNull(sealer, "sealer == null");
        Objects.requireNonNull(verifier, "verifier == null");
        Objects.requireNonNull(policy, "policy == null");
    }

    /** A node with its own certificate and key, trusting the site's CA. */
    public static NodeSecurity of(Credentials credentials, PolicySource policy, Codec codec, Clock clock) {
        return new NodeSecurity(Sealer.signing(codec, credentials), Verifier.of(credentials.ca(), clock), policy,
                credentials);
    }

    /**
     * {@code security: insecure}: nothing signed or verified, anybody who can reach the broker may do
     * anything the policy allows; without a policy file, everything.
     */
    public static NodeSecurity insecure(PolicySource policy, Codec codec, Clock clock) {
        return new NodeSecurity(Sealer.unsigned(codec), Verifier.insecure(clock),
                policy == null ? PolicySource.fixed(Policy.allowAll()) : policy, null);
    }

    public boolean insecure() {
        return !verifier.verifies();
    }

    /** The node's certificate name (its identity), or null when insecure. */
    public String name() {
        return credentials == null ? null : credentials.name();
    }

    /**
     * A connection factory for {@code url} that presents the node's certificate and trusts only the
     * site's CA ({@code ssl://}, also inside {@code failover:}); plain for {@code tcp://} when insecure.
     *
     * @throws IllegalStateException when the JDK cannot use the key for TLS (checked at start)
     */
    public ActiveMQConnectionFactory connectionFactory(String url) {
        return connectionFactory(url, credentials);
    }

    /** As {@link #connectionFactory(String)}, for any identity (the lab's shared node connections). */
    public static ActiveMQConnectionFactory connectionFactory(String url, Credentials credentials) {
        if (credentials == null) {
            return new ActiveMQConnectionFactory(url);
        }
        try {
            TlsMaterial tls = TlsMaterial.of(credentials);
            ActiveMQSslConnectionFactory factory = new ActiveMQSslConnectionFactory(url);
            factory.setKeyAndTrustManagers(tls.keyManagers(), tls.trustManagers(), new SecureRandom());
            return factory;
        } catch (TrustException e) {
            throw new IllegalStateException("cannot use " + credentials.name() + "'s key for TLS: " + e.getMessage(), e);
        }
    }
}
