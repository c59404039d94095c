package io.orch.trust;

import io.orch.protocol.Limits;
import io.orch.protocol.envelope.SecureEnvelope;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks who signed a message: the certificate it carries must chain to the site's CA, be valid now
 * and not be revoked, and the signature must be that certificate's key over the exact body. The
 * algorithm follows from the certificate's key, never from the message.
 *
 * <p>Checking a chain costs far more than checking a signature, and a fleet sends the same few
 * certificates again and again, so verified certificates are kept (by their exact PEM text) for
 * {@link #RECHECK_AFTER} before their chain is checked again; their validity dates are checked on
 * every message. Refusals are kept too, for a shorter while, so a flood of junk certificates costs
 * one chain check each per minute, not one per message.
 */
public final class Verifier {
    /** How long a verified certificate is trusted before its chain (and the CRL) is checked again. */
    public static final Duration RECHECK_AFTER = Limits.CERTIFICATE_RECHECK_AFTER;
    /** How long a refused certificate stays refused without being checked again. */
    public static final Duration REFUSAL_KEPT = Limits.CERTIFICATE_REFUSAL_KEPT;

    /** Who a message came from. */
    public record Signer(String name, boolean verified) {
    }

    private record Checked(String name, String keyAlgorithm, byte[] encodedKey, Signatures.Checker checker,
                           Instant notBefore, Instant notAfter, String refusal,
                           Instant checkedAt) {
    }

    private final SiteCa ca;
    private final Clock clock;
    private final Map<String, Checked> remembered = leastRecentlyUsed(Limits.MAX_REMEMBERED_CERTIFICATES);

    /** Chains checked in earlier runs (the CLI's), or null. */
    private final KnownCertificates known;

    /** Envelopes whose signature checked out, for a verifier many nodes share (the lab's); else null. */
    private final Map<Sealed, Boolean> checkedSignatures;

    /** The parts of an envelope its signature covers, compared in full. */
    private record Sealed(String certificate, String body, String signature) {
    }

    private Verifier(SiteCa ca, Clock clock, KnownCertificates known, boolean shared) {
        this.ca = ca;
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.known = known;
        this.checkedSignatures = shared ? leastRecentlyUsed(Limits.SHARED_SIGNATURES_KEPT) : null;
    }

    /** A map that keeps at most {@code max} entries, dropping the one used longest ago (not thread-safe). */
    private static <K, V> Map<K, V> leastRecentlyUsed(int max) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }

    public static Verifier of(SiteCa ca, Clock clock) {
        return new Verifier(Objects.requireNonNull(ca, "ca == null"), clock, null, false);
    }

    /** A verifier that also uses, and adds to, chains checked in earlier runs. */
    public static Verifier of(SiteCa ca, Clock clock, KnownCertificates known) {
        return new Verifier(Objects.requireNonNull(ca, "ca == null"), clock, known, false);
    }

    /**
     * A verifier for many nodes in one process (the lab's thousand): a broadcast reaches each of
     * them with the same certificate, body and signature, and its signature is checked once for all,
     * as a real fleet checks it once on each machine at the same time. Only the signature
     * arithmetic is skipped for an envelope equal in full to one that checked out: its certificate
     * is still looked up, its dates and its signer's name checked on every message. A real node
     * never sees the same envelope twice (the replay check refuses it), so it does not use this.
     */
    public static Verifier sharedByNodes(SiteCa ca, Clock clock) {
        return new Verifier(Objects.requireNonNull(ca, "ca == null"), clock, null, true);
    }

    /** Checks nothing: every message counts as from whoever it claims ({@code security: insecure} only). */
    public static Verifier insecure(Clock clock) {
        return new Verifier(null, clock, null, false);
    }

    public boolean verifies() {
        return ca != null;
    }

    /**
     * @param claimed who the message says it is from (a request's caller, a reply's node), for insecure mode
     * @return the verified signer (its certificate's CN)
     * @throws TrustException saying why the message is not trusted
     */
    public Signer verify(SecureEnvelope envelope, String claimed) throws TrustException {
        if (ca == null) {
            return new Signer(claimed, false);
        }
        if (envelope.signature() == null || envelope.certificate() == null) {
            throw new TrustException("not signed (no " + (envelope.signature() == null ? "signature" : "certificate")
                    + " in the envelope)");
        }
        if (envelope.certificate().length() > Limits.MAX_CERTIFICATE_CHARS) {
            throw new TrustException("certificate of " + envelope.certificate().length() + " characters is over the "
                    + "limit of " + Limits.MAX_CERTIFICATE_CHARS);
        }
        Instant now = clock.instant();
        Checked checked = certificate(envelope.certificate(), now);
        if (checked.refusal() != null) {
            throw new TrustException(checked.refusal());
        }
        if (now.isBefore(checked.notBefore()) || now.isAfter(checked.notAfter())) {
            throw new TrustException("certificate '" + checked.name() + "' is not valid now (valid "
                    + checked.notBefore() + " to " + checked.notAfter() + ")");
        }
        if (envelope.signer() != null && !envelope.signer().equals(checked.name())) {
            throw new TrustException("signer '" + envelope.signer() + "' does not match the certificate's name '"
                    + checked.name() + "'");
        }
        Sealed sealed = checkedSignatures == null ? null
                : new Sealed(envelope.certificate(), envelope.body(), envelope.signature());
        if (sealed != null) {
            synchronized (checkedSignatures) {
                if (checkedSignatures.get(sealed) != null) {
                    return new Signer(checked.name(), true);
                }
            }
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(envelope.signature());
        } catch (IllegalArgumentException e) {
            throw new TrustException("signature is not base64");
        }
        if (!checked.checker().verify(envelope.body().getBytes(StandardCharsets.UTF_8), signature)) {
            throw new TrustException("bad signature: the body was not signed by '" + checked.name() + "'s key");
        }
        if (sealed != null) {
            synchronized (checkedSignatures) {
                checkedSignatures.put(sealed, Boolean.TRUE);
            }
        }
        return new Signer(checked.name(), true);
    }

    private Checked certificate(String pem, Instant now) {
        synchronized (remembered) {
            Checked known = remembered.get(pem);
            if (known != null && known.checkedAt().plus(known.refusal() == null ? RECHECK_AFTER : REFUSAL_KEPT)
                    .isAfter(now)) {
                return known;
            }
        }
        Checked fresh = known == null ? null : fromKnown(pem, now);
        if (fresh == null) {
            fresh = check(pem, now);
            if (known != null && fresh.refusal() == null) {
                known.put(pem, new KnownCertificates.Known(fresh.name(), fresh.keyAlgorithm(), fresh.encodedKey(),
                        fresh.notBefore(), fresh.notAfter(), now));
            }
        }
        synchronized (remembered) {
            remembered.put(pem, fresh);
        }
        return fresh;
    }

    private Checked fromKnown(String pem, Instant now) {
        return known.get(pem, now).map(k -> {
            try {
                return new Checked(k.name(), k.keyAlgorithm(), k.publicKey(),
                        Signatures.checker(k.keyAlgorithm(), k.publicKey()), k.notBefore(), k.notAfter(), null,
                        k.checkedAt());
            } catch (TrustException e) {
                return null; // checked again below
            }
        }).orElse(null);
    }

    private Checked check(String pem, Instant now) {
        try {
            List<X509Certificate> certs = Pem.certificates(pem, "the envelope's certificate");
            X509Certificate leaf = certs.get(0);
            String name = ca.verify(leaf, certs.subList(1, certs.size()), now);
            boolean[] usage = leaf.getKeyUsage();
            if (usage != null && !usage[0]) {
                return new Checked(name, null, null, null, null, null, "certificate '" + name + "' may not sign (no "
                        + "digitalSignature key usage)", now);
            }
            PublicKey key = leaf.getPublicKey();
            return new Checked(name, key.getAlgorithm(), key.getEncoded(), Signatures.checker(key),
                    leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant(), null, now);
        } catch (TrustException e) {
            return new Checked(null, null, null, null, null, null, e.getMessage(), now);
        }
    }
}
