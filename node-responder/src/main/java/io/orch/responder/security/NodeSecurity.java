package io.orch.responder.security;

import io.orch.protocol.envelope.Codec;
import io.orch.responder.policy.Policy;
import io.orch.responder.policy.PolicySource;
import io.orch.trust.Credentials;
import io.orch.trust.Sealer;
import io.orch.trust.Verifier;
import java.time.Clock;
import java.util.Objects;

/**
 * How one node trusts and is trusted: it signs its replies and events ({@link #sealer}), checks who
 * signed each request ({@link #verifier}) and asks its policy who may do what ({@link #policy}).
 *
 * @param name the node's certificate name (its identity), or null when insecure
 */
public record NodeSecurity(Sealer sealer, Verifier verifier, PolicySource policy, String name) {
    public NodeSecurity {
        Objects.requireNonNull(sealer, "sealer == null");
        Objects.requireNonNull(verifier, "verifier == null");
        Objects.requireNonNull(policy, "policy == null");
    }

    /** A node with its own certificate and key, trusting the site's CA. */
    public static NodeSecurity of(Credentials credentials, PolicySource policy, Codec codec, Clock clock) {
        return new NodeSecurity(Sealer.signing(codec, credentials), Verifier.of(credentials.ca(), clock), policy,
                credentials.name());
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
}
