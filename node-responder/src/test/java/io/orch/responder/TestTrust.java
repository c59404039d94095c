package io.orch.responder;

import io.orch.protocol.envelope.Codec;
import io.orch.responder.policy.PolicySource;
import io.orch.responder.security.NodeSecurity;
import io.orch.trust.Credentials;
import io.orch.trust.LocalCa;
import io.orch.trust.Sealer;
import io.orch.trust.SiteCa;
import io.orch.trust.TrustException;
import io.orch.trust.Verifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The tests' site PKI, made on the fly (no key is ever kept in the repository): a CA, an operator
 * ({@value #OPERATOR}) the nodes' policy lets do everything, and a certificate for any node.
 */
public final class TestTrust {
    public static final String OPERATOR = "test-operator";
    private static TestTrust shared;

    private final LocalCa ca;
    private final SiteCa siteCa;
    private final Credentials operator;
    private final Path policyFile;

    private TestTrust() throws TrustException, IOException {
        ca = LocalCa.create("orch test CA", LocalCa.KeyType.EC, Duration.ofDays(2));
        siteCa = SiteCa.of(List.of(ca.certificate()), List.of(ca.crl()), "test CA");
        operator = credentials(OPERATOR);
        Path dir = Files.createTempDirectory("orch-test-trust");
        policyFile = dir.resolve("policy.yaml");
        Files.writeString(policyFile, """
                rules:
                  - callers: [%s]
                    actions: [ping, discover, status, reboot, force, cancel]
                    any_time: true
                """.formatted(OPERATOR));
    }

    public static synchronized TestTrust shared() {
        if (shared == null) {
            try {
                shared = new TestTrust();
            } catch (TrustException e) {
                throw new IllegalStateException(e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    public LocalCa ca() {
        return ca;
    }

    public SiteCa siteCa() {
        return siteCa;
    }

    /** The policy file every node of {@link #node} reads: the operator may do everything, any time. */
    public Path policyFile() {
        return policyFile;
    }

    public Credentials operator() {
        return operator;
    }

    public Sealer operatorSealer() {
        return Sealer.signing(new Codec(), operator);
    }

    public Verifier verifier() {
        return Verifier.of(siteCa, Clock.systemUTC());
    }

    /** A fresh certificate of this CA for {@code name}. */
    public Credentials credentials(String name) {
        try {
            LocalCa.Issued issued = ca.issue(name, LocalCa.KeyType.EC, Duration.ofDays(1));
            return Credentials.of(siteCa, issued.certificate(), List.of(), issued.keys().getPrivate(),
                    Clock.systemUTC().instant(), name);
        } catch (TrustException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes a certificate for {@code name} as a Puppet agent's ssl folder holds it, for a responder
     * started from a config file ({@code security: {ssl_dir: ...}}).
     */
    public Path writeSslDir(Path sslDir, String name) {
        try {
            LocalCa.Issued issued = ca.issue(name, LocalCa.KeyType.EC, Duration.ofDays(1));
            ca.writeLayout(sslDir, issued, List.of(), ca.crl());
            return sslDir;
        } catch (TrustException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A node that signs as {@code identity} and obeys the operator. */
    public NodeSecurity node(String identity) {
        return node(identity, Clock.systemUTC());
    }

    public NodeSecurity node(String identity, Clock clock) {
        return NodeSecurity.of(credentials(identity), new PolicySource(policyFile, clock), new Codec(), clock);
    }
}
