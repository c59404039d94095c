package io.orch.cli.pki;

import io.orch.protocol.bus.Destinations;
import io.orch.trust.SiteCa;
import io.orch.trust.TrustException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.nist.NISTNamedCurves;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;

/**
 * Certificates and CRLs as a person reads them at 2 a.m.: who, by whom, until when, with which key.
 * Works on any CA's files (Puppet's, openssl's, orch pki's).
 */
public final class CertificateText {
    private static final HexFormat COLONS = HexFormat.ofDelimiter(":");

    private CertificateText() {
    }

    /** One {@code label  value} line each: identity, subject, issuer, validity, key, names, serial, CA, fingerprint. */
    public static List<String> describe(X509Certificate cert, Instant now) {
        List<String> lines = new ArrayList<>();
        lines.add(line("identity", identity(cert)));
        lines.add(line("subject", cert.getSubjectX500Principal().getName()));
        lines.add(line("issuer", cert.getIssuerX500Principal().getName()
                + (cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal()) ? " (self-signed)" : "")));
        lines.add(line("valid", cert.getNotBefore().toInstant() + " to " + cert.getNotAfter().toInstant() + " ("
                + validity(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant(), now) + ")"));
        lines.add(line("key", keyType(cert.getPublicKey())));
        lines.add(line("names", names(cert)));
        lines.add(line("serial", serial(cert)));
        lines.add(line("ca", cert.getBasicConstraints() >= 0 ? "yes: it can issue certificates" : "no"));
        lines.add(line("sha256", fingerprint(cert)));
        return lines;
    }

    /** The same for a CRL: its issuer, dates, number and the serials it revokes. */
    public static List<String> describe(X509CRL crl, Instant now) {
        List<String> lines = new ArrayList<>();
        lines.add(line("crl of", crl.getIssuerX500Principal().getName()));
        Instant next = crl.getNextUpdate() == null ? null : crl.getNextUpdate().toInstant();
        lines.add(line("updated", crl.getThisUpdate().toInstant() + (next == null ? ", no next update"
                : ", next update " + next + (next.isBefore(now) ? " (OUTDATED: revocation cannot be checked "
                + "against it; publish a new one)" : ""))));
        Set<? extends X509CRLEntry> entries = crl.getRevokedCertificates();
        if (entries == null || entries.isEmpty()) {
            lines.add(line("revoked", "none"));
        } else {
            TreeSet<String> revoked = new TreeSet<>();
            for (X509CRLEntry entry : entries) {
                revoked.add(serial(entry.getSerialNumber()) + " (" + entry.getRevocationDate().toInstant() + ")");
            }
            lines.add(line("revoked", revoked.size() + ""));
            for (String serial : revoked) {
                lines.add(line("", serial));
            }
        }
        return lines;
    }

    /** The serial number as openssl prints it: hex bytes with colons. */
    public static String serial(X509Certificate cert) {
        return serial(cert.getSerialNumber());
    }

    static String serial(BigInteger serial) {
        byte[] bytes = serial.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return COLONS.formatHex(bytes);
    }

    /** {@code EC P-256}, {@code Ed25519}, {@code RSA 4096}. */
    public static String keyType(PublicKey key) {
        String algorithm = key.getAlgorithm();
        if (key instanceof RSAKey rsa) {
            return "RSA " + rsa.getModulus().bitLength();
        }
        if ("EdDSA".equals(algorithm) || "Ed25519".equals(algorithm) || "Ed448".equals(algorithm)) {
            try {
                ASN1ObjectIdentifier oid = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getAlgorithm()
                        .getAlgorithm();
                return "1.3.101.113".equals(oid.getId()) ? "Ed448" : "Ed25519";
            } catch (RuntimeException e) {
                return algorithm;
            }
        }
        if ("EC".equals(algorithm)) {
            try {
                ASN1Encodable parameters = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getAlgorithm()
                        .getParameters();
                if (parameters instanceof ASN1ObjectIdentifier curve) {
                    String name = NISTNamedCurves.getName(curve);
                    if (name == null) {
                        name = ECNamedCurveTable.getName(curve);
                    }
                    return "EC " + (name != null ? name : curve.getId());
                }
            } catch (RuntimeException e) {
                // fall through: an unusual encoding is still an EC key
            }
            return "EC (explicit curve parameters)";
        }
        return algorithm;
    }

    private static String identity(X509Certificate cert) {
        String cn;
        try {
            cn = SiteCa.commonName(cert);
        } catch (TrustException e) {
            return "none: " + e.getMessage();
        }
        String problem = Destinations.identityProblem(cn);
        return problem == null ? cn : cn + " (orch cannot use it: " + problem + ")";
    }

    private static String validity(Instant from, Instant until, Instant now) {
        if (now.isBefore(from)) {
            return "NOT YET VALID: starts in " + days(Duration.between(now, from));
        }
        if (!now.isBefore(until)) {
            return "EXPIRED " + days(Duration.between(until, now)) + " ago";
        }
        return days(Duration.between(now, until)) + " left";
    }

    private static String days(Duration d) {
        long days = d.toDays();
        if (days >= 2) {
            return days + " days";
        }
        long hours = d.toHours();
        return hours >= 1 ? hours + (hours == 1 ? " hour" : " hours") : Math.max(1, d.toMinutes()) + " minutes";
    }

    private static String names(X509Certificate cert) {
        Collection<List<?>> names;
        try {
            names = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return "unreadable: " + e.getMessage();
        }
        if (names == null || names.isEmpty()) {
            return "none";
        }
        List<String> out = new ArrayList<>();
        for (List<?> name : names) {
            int type = (Integer) name.get(0);
            String prefix = switch (type) {
                case 1 -> "email:";
                case 2 -> "DNS:";
                case 6 -> "URI:";
                case 7 -> "IP:";
                default -> "other:";
            };
            out.add(prefix + (name.get(1) instanceof String s ? s : "(" + type + ")"));
        }
        return String.join(", ", out);
    }

    private static String fingerprint(X509Certificate cert) {
        try {
            return COLONS.formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()))
                    .toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            return "unavailable: " + e.getMessage();
        }
    }

    private static String line(String label, String value) {
        return String.format(Locale.ROOT, "%-9s %s", label, value);
    }
}
