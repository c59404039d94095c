package io.orch.trust;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small certificate authority for sites without one ({@code orch pki}), for the lab and the demo
 * (a throwaway CA made on the fly) and for tests. It issues certificates that work both for
 * signing orch messages and for TLS to the broker, and writes them as a Puppet CA lays them out,
 * so every part of orch reads them the same way it reads a Puppet site's files.
 */
public final class LocalCa {
    /** Key types orch issues; RSA only for what other CAs (Puppet) make. */
    public enum KeyType {
        EC, ED25519, RSA;

        public static KeyType parse(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "ec", "ecdsa", "p256", "p-256" -> EC;
                case "ed25519" -> ED25519;
                case "rsa" -> RSA;
                default -> throw new IllegalArgumentException("unknown key type '" + name + "'; use ec or ed25519");
            };
        }

        public KeyPair generate() {
            try {
                return switch (this) {
                    case EC -> {
                        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                        g.initialize(new ECGenParameterSpec("secp256r1"));
                        yield g.generateKeyPair();
                    }
                    case ED25519 -> KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                    case RSA -> {
                        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                        g.initialize(2048);
                        yield g.generateKeyPair();
                    }
                };
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this JDK cannot make " + this + " keys", e);
            }
        }
    }

    /** A certificate with its key pair. */
    public record Issued(X509Certificate certificate, KeyPair keys) {
        public String name() {
            try {
                return SiteCa.commonName(certificate);
            } catch (TrustException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Issued ca;

    private LocalCa(Issued ca) {
        this.ca = ca;
    }

    /** A new self-signed root CA. */
    public static LocalCa create(String name, KeyType type, Duration validity) throws TrustException {
        KeyPair keys = type.generate();
        Instant now = Instant.now();
        return new LocalCa(new Issued(build(name, keys.getPublic(), x500(name), keys, true, now.minusSeconds(300),
                now.plus(validity), List.of()), keys));
    }

    /** A CA that already exists (its certificate and key), e.g. an intermediate issued by another LocalCa. */
    public static LocalCa of(Issued ca) {
        return new LocalCa(ca);
    }

    /** Loads the CA made by {@code orch pki init}: its certificate and its private key. */
    public static LocalCa load(Path certificate, Path key) throws TrustException {
        List<X509Certificate> certs = Pem.certificates(certificate);
        KeyFiles.checkPrivate(key);
        PrivateKey privateKey = Pem.privateKey(key);
        X509Certificate cert = certs.get(0);
        if (cert.getBasicConstraints() < 0) {
            throw new TrustException(certificate + ": '" + cert.getSubjectX500Principal().getName()
                    + "' is not a CA certificate (no basicConstraints CA:TRUE)");
        }
        byte[] probe = "orch CA key check".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        boolean matches;
        try {
            matches = Signatures.verify(cert.getPublicKey(), probe, Signatures.sign(privateKey, probe));
        } catch (TrustException e) {
            matches = false;
        }
        if (!matches) {
            throw new TrustException(key + ": not the private key of the CA certificate in " + certificate);
        }
        return new LocalCa(new Issued(cert, new KeyPair(cert.getPublicKey(), privateKey)));
    }

    public Issued ca() {
        return ca;
    }

    public X509Certificate certificate() {
        return ca.certificate();
    }

    /** An intermediate CA under this one. */
    public LocalCa intermediate(String name, KeyType type, Duration validity) throws TrustException {
        KeyPair keys = type.generate();
        Instant now = Instant.now();
        return new LocalCa(new Issued(build(name, keys.getPublic(), subject(), ca.keys(), true,
                now.minusSeconds(300), now.plus(validity), List.of()), keys));
    }

    /** A certificate for a node, an operator or a broker; {@code dnsNames} go into its subject alternative names. */
    public Issued issue(String name, KeyType type, Duration validity, String... dnsNames) throws TrustException {
        Instant now = Instant.now();
        return issue(name, type.generate(), now.minusSeconds(300), now.plus(validity), dnsNames);
    }

    public Issued issue(String name, KeyPair keys, Instant from, Instant until, String... dnsNames)
            throws TrustException {
        return new Issued(build(name, keys.getPublic(), subject(), ca.keys(), false, from, until,
                List.of(dnsNames)), keys);
    }

    /** A CRL of this CA revoking {@code revoked} (none: an empty CRL, as a Puppet CA publishes). */
    public X509CRL crl(X509Certificate... revoked) throws TrustException {
        return crl(null, revoked);
    }

    /**
     * A new CRL of this CA: the entries of {@code previous} (this CA's current CRL, or null) with their
     * dates, and {@code revoked} as of now. Its CRL number is one above the previous one's. Like a Puppet
     * CA's, it stays current until the CA itself expires, so nobody has to re-sign it to keep nodes working.
     */
    public X509CRL crl(X509CRL previous, X509Certificate... revoked) throws TrustException {
        Date now = new Date();
        X509v2CRLBuilder builder = new X509v2CRLBuilder(subject(), now);
        builder.setNextUpdate(ca.certificate().getNotAfter());
        BigInteger number = BigInteger.ONE;
        try {
            if (previous != null) {
                try {
                    previous.verify(ca.certificate().getPublicKey());
                } catch (GeneralSecurityException e) {
                    throw new TrustException("the CRL of '" + previous.getIssuerX500Principal().getName()
                            + "' is not signed by this CA ('" + ca.certificate().getSubjectX500Principal().getName()
                            + "')", e);
                }
                X509CRLHolder holder = new X509CRLHolder(previous.getEncoded());
                builder.addCRL(holder);
                Extension last = holder.getExtension(Extension.cRLNumber);
                if (last != null) {
                    number = CRLNumber.getInstance(last.getParsedValue()).getCRLNumber().add(BigInteger.ONE);
                }
            }
            for (X509Certificate cert : revoked) {
                if (previous == null || previous.getRevokedCertificate(cert.getSerialNumber()) == null) {
                    builder.addCRLEntry(cert.getSerialNumber(), now, CRLReason.unspecified);
                }
            }
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.keys().getPublic()));
            return new JcaX509CRLConverter().getCRL(builder.build(signer(ca.keys().getPrivate())));
        } catch (GeneralSecurityException | IOException e) {
            throw new TrustException("cannot make a CRL: " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code issued} the way a Puppet agent's ssl directory holds it: {@code certs/<name>.pem},
     * {@code private_keys/<name>.pem} (owner-only), {@code certs/ca.pem} (this CA and {@code chain},
     * the CAs above it) and {@code crl.pem}.
     */
    public void writeLayout(Path sslDir, Issued issued, List<X509Certificate> chain, X509CRL crl)
            throws TrustException {
        List<Object> cas = new ArrayList<>();
        cas.add(ca.certificate());
        cas.addAll(chain);
        writePem(sslDir.resolve("certs").resolve("ca.pem"), cas.toArray());
        writePem(sslDir.resolve("crl.pem"), crl);
        writePem(sslDir.resolve("certs").resolve(issued.name() + ".pem"), issued.certificate());
        writePrivateKey(sslDir.resolve("private_keys").resolve(issued.name() + ".pem"), issued.keys().getPrivate());
    }

    /** Writes certificates, CRLs (or keys in their traditional form) as PEM, readable by all. */
    public static Path writePem(Path file, Object... objects) throws TrustException {
        try {
            createParent(file);
            Files.writeString(file, Pem.text(objects));
        } catch (IOException e) {
            throw new TrustException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /** Writes a private key as PKCS#8 PEM, created readable by its owner only (never readable by others first). */
    public static Path writePrivateKey(Path file, PrivateKey key) throws TrustException {
        try {
            createParent(file);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            try {
                Files.createFile(file);
            } catch (IOException io) {
                throw new TrustException("cannot write " + file + ": " + io.getMessage(), io);
            }
        } catch (IOException e) {
            throw new TrustException("cannot write " + file + ": " + e.getMessage(), e);
        }
        try (Writer out = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
            throw new TrustException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    private static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    /** This CA's subject exactly as its certificate has it: the issuer of what it signs, whoever made it. */
    private X500Name subject() {
        return X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
    }

    private static X509Certificate build(String name, java.security.PublicKey subjectKey, X500Name issuer,
                                         KeyPair issuerKeys, boolean isCa, Instant from, Instant until,
                                         List<String> dnsNames) throws TrustException {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    new BigInteger(127, RANDOM).add(BigInteger.ONE), Date.from(from), Date.from(until), x500(name),
                    subjectKey);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    ext.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
            if (isCa) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                int usage = KeyUsage.digitalSignature
                        | ("RSA".equals(subjectKey.getAlgorithm()) ? KeyUsage.keyEncipherment : 0);
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                        new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
                if (!dnsNames.isEmpty()) {
                    List<GeneralName> names = new ArrayList<>();
                    for (String dns : dnsNames) {
                        names.add(isIpAddress(dns) ? new GeneralName(GeneralName.iPAddress, dns)
                                : new GeneralName(GeneralName.dNSName, dns));
                    }
                    builder.addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(names.toArray(GeneralName[]::new)));
                }
            }
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer(issuerKeys.getPrivate())));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new TrustException("cannot issue a certificate for " + name + ": " + e.getMessage(), e);
        }
    }

    private static boolean isIpAddress(String s) {
        return s.matches("[0-9.]+") || s.contains(":");
    }

    private static X500Name x500(String cn) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
    }

    private static ContentSigner signer(PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaContentSignerBuilder(Signatures.algorithm(key.getAlgorithm())).build(key);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }
}
