package io.orch.trust;

import io.orch.protocol.Limits;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The site's certificate authority: the self-signed roots of its CA bundle are trusted, the other
 * certificates in it (intermediates, as Puppet's {@code ca.pem} holds them) may complete a chain,
 * and with a CRL file every certificate of the chain is checked for revocation. The JDK's PKIX
 * validator does the checking.
 */
public final class SiteCa {
    private final Set<TrustAnchor> anchors;
    private final List<X509Certificate> intermediates;
    private final List<X509CRL> crls;

    private static final java.security.cert.CertificateFactory CERTIFICATES;

    static {
        try {
            CERTIFICATES = java.security.cert.CertificateFactory.getInstance("X.509");
        } catch (java.security.cert.CertificateException e) {
            throw new IllegalStateException("this JDK has no X.509 support", e);
        }
    }

    private final CertStore crlStore;

    private SiteCa(Set<TrustAnchor> anchors, List<X509Certificate> intermediates, List<X509CRL> crls) {
        this.anchors = anchors;
        this.intermediates = intermediates;
        this.crls = crls;
        try {
            this.crlStore = CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot hold the CRLs", e);
        }
    }

    /** A chain from a leaf up to (not including) its trust anchor. */
    private record Chain(List<X509Certificate> path, TrustAnchor anchor) {
    }

    /**
     * The chain by issuer names: the leaf, then each issuer found among the CA bundle's intermediates
     * and those sent along, until a trusted root issued the last one; null when names lead nowhere
     * (then the path builder searches). Nothing is trusted here: the validator checks every link.
     */
    private Chain chain(X509Certificate leaf, List<X509Certificate> sentAlong) {
        List<X509Certificate> path = new ArrayList<>();
        X509Certificate current = leaf;
        path.add(current);
        for (int depth = 0; depth < Limits.MAX_CHAIN_LENGTH; depth++) {
            for (TrustAnchor anchor : anchors) {
                if (anchor.getTrustedCert().getSubjectX500Principal().equals(current.getIssuerX500Principal())) {
                    return new Chain(path, anchor);
                }
            }
            X509Certificate next = null;
            for (List<X509Certificate> pool : List.of(intermediates, sentAlong)) {
                for (X509Certificate candidate : pool) {
                    if (next == null && candidate.getSubjectX500Principal().equals(current.getIssuerX500Principal())
                            && !path.contains(candidate)) {
                        next = candidate;
                    }
                }
            }
            if (next == null) {
                return null;
            }
            path.add(next);
            current = next;
        }
        return null;
    }

    /**
     * @param caBundle the CA certificates (PEM), roots and intermediates
     * @param crlFile  the CRLs (PEM), or null to check no revocation
     */
    public static SiteCa load(Path caBundle, Path crlFile) throws TrustException {
        return of(Pem.certificates(caBundle), crlFile == null ? List.of() : Pem.crls(crlFile), caBundle.toString());
    }

    /** @param crls empty: no revocation checking */
    public static SiteCa of(List<X509Certificate> caCertificates, List<X509CRL> crls, String where)
            throws TrustException {
        Set<TrustAnchor> anchors = new HashSet<>();
        List<X509Certificate> intermediates = new ArrayList<>();
        for (X509Certificate cert : caCertificates) {
            if (cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal())) {
                anchors.add(new TrustAnchor(cert, null));
            } else {
                intermediates.add(cert);
            }
        }
        if (anchors.isEmpty()) {
            throw new TrustException(where + ": no self-signed root CA certificate in it");
        }
        return new SiteCa(Set.copyOf(anchors), List.copyOf(intermediates), List.copyOf(crls));
    }

    /**
     * Checks that {@code certificate} (with any intermediates sent along with it) chains to this
     * CA, was valid at {@code at}, and is not revoked.
     *
     * @return the certificate's common name: the identity it speaks for
     * @throws TrustException saying why it is refused
     */
    public String verify(X509Certificate certificate, List<X509Certificate> sentAlong, Instant at)
            throws TrustException {
        verifiedPath(certificate, sentAlong, at);
        return commonName(certificate);
    }

    /**
     * As {@link #verify}, returning the chain that was validated: the certificate, then the
     * intermediates up to (not including) the root. What an identity presents in a TLS handshake.
     */
    List<X509Certificate> verifiedPath(X509Certificate certificate, List<X509Certificate> sentAlong, Instant at)
            throws TrustException {
        Objects.requireNonNull(certificate, "certificate == null");
        Date when = Date.from(at);
        try {
            certificate.checkValidity(when);
        } catch (java.security.cert.CertificateExpiredException e) {
            throw new TrustException("certificate " + subject(certificate) + " expired on "
                    + certificate.getNotAfter().toInstant());
        } catch (java.security.cert.CertificateNotYetValidException e) {
            throw new TrustException("certificate " + subject(certificate) + " is not valid before "
                    + certificate.getNotBefore().toInstant());
        }
        List<Object> store = new ArrayList<>(intermediates);
        store.addAll(sentAlong);
        store.add(certificate);
        store.addAll(crls);
        try {
            // The chain is found by following issuer names (cheap, and the usual case: a leaf under the root or
            // one intermediate); only when that finds nothing does the JDK's path builder search. Either way the
            // JDK's PKIX validator then checks the whole chain: signatures, validity, CA constraints, key usage
            // and, with revocation on, the CRLs (validating alone would hide "revoked" behind "no path found").
            Chain chain = chain(certificate, sentAlong);
            if (chain != null) {
                try {
                    validate(CERTIFICATES.generateCertPath(chain.path()), Set.of(chain.anchor()), when);
                    commonName(certificate);
                    return List.copyOf(chain.path());
                } catch (CertPathValidatorException e) {
                    if (e.getReason() == CertPathValidatorException.BasicReason.REVOKED
                            || e.getReason() == CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS) {
                        throw e;
                    }
                    // Names matched but the links did not (a look-alike CA, say): let the builder search and say why.
                }
            }
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(certificate);
            PKIXBuilderParameters build = new PKIXBuilderParameters(anchors, target);
            build.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(store)));
            build.setRevocationEnabled(false);
            build.setDate(when);
            CertPath built = ((PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(build))
                    .getCertPath();
            validate(built, anchors, when);
            commonName(certificate);
            List<X509Certificate> path = new ArrayList<>();
            for (java.security.cert.Certificate link : built.getCertificates()) {
                path.add((X509Certificate) link);
            }
            return List.copyOf(path);
        } catch (CertPathBuilderException e) {
            throw new TrustException("certificate " + subject(certificate) + " is not from the site's CA: no "
                    + "chain to its root", e);
        } catch (CertPathValidatorException e) {
            String why = e.getReason() == CertPathValidatorException.BasicReason.REVOKED ? "revoked"
                    : e.getReason() == CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS
                    ? "its revocation cannot be checked (no current CRL from its issuer: check that crl.pem holds one "
                    + "for every CA of the chain and that its next update is not past)" : String.valueOf(e.getMessage());
            throw new TrustException("certificate " + subject(certificate) + " is not trusted: " + why, e);
        } catch (GeneralSecurityException e) {
            throw new TrustException("certificate " + subject(certificate) + " cannot be checked: "
                    + e.getMessage(), e);
        }
    }

    /** The self-signed roots: what TLS trusts ({@link TlsMaterial}). */
    Set<TrustAnchor> anchors() {
        return anchors;
    }

    /** The CA bundle's other certificates, which may complete a chain. */
    List<X509Certificate> intermediates() {
        return intermediates;
    }

    /** Empty: no revocation checking. */
    List<X509CRL> crls() {
        return crls;
    }

    /** The JDK's PKIX validation of {@code path}, with the CRLs when the site has any. */
    private void validate(CertPath path, Set<TrustAnchor> trusted, Date when) throws GeneralSecurityException {
        PKIXParameters validate = new PKIXParameters(trusted);
        validate.addCertStore(crlStore);
        validate.setRevocationEnabled(!crls.isEmpty());
        validate.setDate(when);
        CertPathValidator.getInstance("PKIX").validate(path, validate);
    }

    /** SHA-256 over every CA certificate and CRL this site trusts: what a remembered check was made against. */
    public String fingerprint() {
        try {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            for (TrustAnchor anchor : anchors) {
                digest.update(anchor.getTrustedCert().getEncoded());
            }
            for (X509Certificate cert : intermediates) {
                digest.update(cert.getEncoded());
            }
            for (X509CRL crl : crls) {
                digest.update(crl.getEncoded());
            }
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode the site's CA", e);
        }
    }

    /** The common name (CN) of the certificate's subject: orch's identity for it. */
    public static String commonName(X509Certificate certificate) throws TrustException {
        try {
            LdapName name = new LdapName(certificate.getSubjectX500Principal().getName());
            for (Rdn rdn : name.getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdn.getValue());
                }
            }
        } catch (InvalidNameException e) {
            throw new TrustException("certificate subject " + subject(certificate) + " cannot be read", e);
        }
        throw new TrustException("certificate " + subject(certificate) + " has no common name (CN)");
    }

    /** Whether {@code certificate} is one of this CA's roots (trust anchors). */
    boolean isRoot(X509Certificate certificate) {
        return anchors.stream().anyMatch(a -> certificate.equals(a.getTrustedCert()));
    }

    /** Whether a CRL of this CA's, from {@code issuer}, lists {@code certificate}. */
    boolean revoked(X509Certificate certificate, X509Certificate issuer) {
        for (X509CRL crl : crls) {
            if (crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal()) && crl.isRevoked(certificate)) {
                return true;
            }
        }
        return false;
    }

    static String subject(X509Certificate certificate) {
        return "'" + certificate.getSubjectX500Principal().getName() + "'";
    }

}
