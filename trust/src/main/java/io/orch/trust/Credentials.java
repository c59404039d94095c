package io.orch.trust;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One identity's key material, checked once at start: the site's CA, this identity's certificate
 * (which must chain to that CA and be valid now) and its private key (owner-only, and the key of
 * that certificate). Its {@link #name()} is the certificate's common name.
 */
public final class Credentials {
    private final SiteCa ca;
    private final X509Certificate certificate;
    private final List<X509Certificate> chain;
    private final PrivateKey key;
    private final String name;
    private final String certificatePem;
    private final Signatures.Signer signer;
    private final List<X509Certificate> path;

    private Credentials(SiteCa ca, X509Certificate certificate, List<X509Certificate> chain, PrivateKey key,
                        String name, Signatures.Signer signer, List<X509Certificate> path) {
        this.ca = ca;
        this.path = List.copyOf(path);
        this.certificate = certificate;
        this.chain = List.copyOf(chain);
        this.key = key;
        this.name = name;
        this.signer = signer;
        String leaf = Pem.text(certificate);
        // Sent with every message: the leaf and the intermediates, made once.
        this.certificatePem = this.chain.isEmpty() ? leaf : leaf + Pem.text(this.chain.toArray());
    }

    /**
     * Reads and checks the files.
     *
     * @throws TrustException naming the file and what to do about it
     */
    public static Credentials load(SecuritySettings.Locations files, Instant now) throws TrustException {
        SiteCa ca = SiteCa.load(files.ca(), files.crl());
        List<X509Certificate> certs = Pem.certificates(files.cert());
        PrivateKey key = Pem.privateKey(files.key());
        return of(ca, certs.get(0), certs.subList(1, certs.size()), key, now, files.cert().toString());
    }

    /** Key material already in memory (the lab's throwaway CA). */
    public static Credentials of(SiteCa ca, X509Certificate certificate, List<X509Certificate> chain, PrivateKey key,
                                 Instant now, String where) throws TrustException {
        Objects.requireNonNull(ca, "ca == null");
        String name;
        List<X509Certificate> path;
        try {
            path = ca.verifiedPath(certificate, chain, now);
            name = SiteCa.commonName(certificate);
        } catch (TrustException e) {
            throw new TrustException(where + ": " + e.getMessage(), e);
        }
        return withKey(ca, certificate, chain, key, name, path, where);
    }

    /** Checked credentials once the key is shown to be the certificate's ({@link Signatures.Signer#fits}). */
    private static Credentials withKey(SiteCa ca, X509Certificate certificate, List<X509Certificate> chain,
                                       PrivateKey key, String name, List<X509Certificate> path, String where)
            throws TrustException {
        byte[] probe = ("orch key check " + name).getBytes(StandardCharsets.UTF_8);
        boolean matches;
        Signatures.Signer signer = null;
        try {
            signer = Signatures.signer(key);
            matches = signer.fits(certificate.getPublicKey(), probe);
        } catch (TrustException e) {
            matches = false;
        }
        if (!matches) {
            throw new TrustException(where + ": the private key is not the key of certificate '" + name + "'");
        }
        return new Credentials(ca, certificate, chain, key, name, signer, path);
    }

    /**
     * Credentials for a certificate that {@code issuer}, a CA whose key is in hand, issued directly under
     * itself: checked with the issuer's own public key (its signature on the certificate, names, dates) and
     * the key probe, instead of the JDK's PKIX validator. For the lab, which checks its kept node keys at
     * every start, thousands of them: PKIX with the JDK's Ed25519 was about 40% of a lab's start, and
     * whoever could change the kept keys (beside the CA's key) could issue certificates anyway. Checked: the
     * issuer is a root of {@code ca}, its signature, both certificates' dates, that the certificate is not a
     * CA's, {@code ca}'s CRLs, the name, and that the key fits. Not checked, unlike PKIX: key usage and
     * critical extensions, which the lab's own CA sets itself. A site's node or CLI never has its CA's key
     * and always goes through {@link #of}.
     */
    public static Credentials issuedBy(LocalCa issuer, SiteCa ca, X509Certificate certificate, PrivateKey key,
                                       Instant now, String where) throws TrustException {
        Objects.requireNonNull(issuer, "issuer == null");
        X509Certificate root = issuer.certificate();
        String name;
        try {
            if (!ca.isRoot(root)) {
                throw new TrustException("the issuer " + SiteCa.subject(root) + " is not a root of the site's CA");
            }
            if (!certificate.getIssuerX500Principal().equals(root.getSubjectX500Principal())) {
                throw new TrustException("certificate " + SiteCa.subject(certificate) + " was not issued by "
                        + SiteCa.subject(root));
            }
            boolean signed;
            try {
                signed = Signatures.checker(root.getPublicKey()).verify(certificate.getTBSCertificate(),
                        certificate.getSignature());
            } catch (java.security.cert.CertificateEncodingException e) {
                signed = false;
            }
            if (!signed) {
                throw new TrustException("certificate " + SiteCa.subject(certificate) + " does not carry the "
                        + "signature of " + SiteCa.subject(root));
            }
            try {
                certificate.checkValidity(java.util.Date.from(now));
                root.checkValidity(java.util.Date.from(now));
            } catch (java.security.cert.CertificateException e) {
                throw new TrustException("certificate " + SiteCa.subject(certificate) + " is not valid at " + now);
            }
            if (certificate.getBasicConstraints() != -1) {
                throw new TrustException("certificate " + SiteCa.subject(certificate) + " is a CA's, not a node's");
            }
            if (ca.revoked(certificate, root)) {
                throw new TrustException("certificate " + SiteCa.subject(certificate) + " is revoked");
            }
            name = SiteCa.commonName(certificate);
        } catch (TrustException e) {
            throw new TrustException(where + ": " + e.getMessage(), e);
        }
        return withKey(ca, certificate, List.of(), key, name, List.of(certificate), where);
    }

    /** The identity: the certificate's common name. */
    public String name() {
        return name;
    }

    public SiteCa ca() {
        return ca;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Intermediates sent along with the certificate. */
    public List<X509Certificate> chain() {
        return chain;
    }

    public PrivateKey key() {
        return key;
    }

    /** The certificate (and the intermediates sent along) as PEM, as a signed message carries it. */
    public String certificatePem() {
        return certificatePem;
    }

    /**
     * The chain checked at load: the certificate, then the intermediates up to the site's root. What
     * TLS presents, so that a peer that knows only the root can still build it: Puppet keeps the
     * intermediates in {@code ca.pem}, not in the agent's certificate file.
     */
    List<X509Certificate> path() {
        return path;
    }

    public byte[] sign(byte[] data) throws TrustException {
        return signer.sign(data);
    }
}
