package io.orch.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.SecureEnvelope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The lab's verifier, shared by its thousand nodes, checks a broadcast's signature once for all of
 * them; nothing else about the envelope is taken on trust the second time.
 */
class SharedVerifierTest {
    private static final Codec CODEC = new Codec();
    private static final String BODY = "{\"protocol\":\"orch.request.v1\",\"id\":\"a\"}";

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    private SecureEnvelope sealed(LocalCa ca, LocalCa.Issued issued, String body) throws Exception {
        SiteCa site = SiteCa.of(List.of(ca.certificate()), List.of(), "test");
        Credentials credentials = Credentials.of(site, issued.certificate(), List.of(), issued.keys().getPrivate(),
                now.get(), "test");
        return CODEC.decodeEnvelope(Sealer.signing(CODEC, credentials).seal(SecureEnvelope.Kind.REQUEST, body));
    }

    @Test
    void aRememberedEnvelopeStillHasItsNameAndDatesCheckedAndAnAlteredOneIsCheckedAfresh() throws Exception {
        LocalCa ca = LocalCa.create("lab CA", LocalCa.KeyType.EC, Duration.ofDays(30));
        // Valid for two minutes: it expires while its checked chain is still remembered (five minutes).
        LocalCa.Issued operator = ca.issue("lab-operator", LocalCa.KeyType.ED25519.generate(),
                now.get().minusSeconds(60), now.get().plusSeconds(120));
        Verifier shared = Verifier.sharedByNodes(SiteCa.of(List.of(ca.certificate()), List.of(), "test"), clock);
        SecureEnvelope envelope = sealed(ca, operator, BODY);

        for (int node = 0; node < 3; node++) {
            assertEquals(new Verifier.Signer("lab-operator", true), shared.verify(envelope, "whoever"));
        }
        // The same signature over another body, or another signature over the same body: not the remembered one.
        SecureEnvelope otherBody = new SecureEnvelope(envelope.kind(), BODY.replace("\"a\"", "\"b\""),
                envelope.signer(), envelope.certificate(), envelope.signature());
        assertTrue(assertThrows(TrustException.class, () -> shared.verify(otherBody, "whoever")).getMessage()
                .startsWith("bad signature"));
        SecureEnvelope otherSigner = new SecureEnvelope(envelope.kind(), envelope.body(), "lab-0001",
                envelope.certificate(), envelope.signature());
        assertThrows(TrustException.class, () -> shared.verify(otherSigner, "whoever"));
        // Three minutes on the certificate has expired: remembering the signature does not keep it valid.
        now.set(now.get().plus(Duration.ofMinutes(3)));
        assertTrue(assertThrows(TrustException.class, () -> shared.verify(envelope, "whoever")).getMessage()
                .contains("not valid now"));
    }
}
