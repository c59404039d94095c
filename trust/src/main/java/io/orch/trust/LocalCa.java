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
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
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
        return new LocalCa(new Issued(build(name, keys.getPublic(), name, keys, true, now.minusSeconds(300),
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
        return new LocalCa(new Issued(build(name, keys.getPublic(), ca.name(), ca.keys(), true,
                now.minusSeconds(300), now.plus(validity), List.of()), keys));
    }

    /** A certificate for a node, an operator or a broker; {@code dnsNames} go into its subject alternative names. */
    public Issued issue(String name, KeyType type, Duration validity, String... dnsNames) throws TrustException {
        Instant now = Instant.now();
        return issue(name, type.generate(), now.minusSeconds(300), now.plus(validity), dnsNames);
    }

    public Issued issue(String name, KeyPair keys, Instant from, Instant until, String... dnsNames)
            throws TrustException {
        return new Issued(build(name, keys.getPublic(), ca.name(), ca.keys(), false, from, until,
                List.of(dnsNames)), keys);
    }

    /** A CRL of this CA revoking {@code revoked} (none: an empty CRL, as a Puppet CA publishes). */
    public X509CRL crl(X509Certificate... revoked) throws TrustException {
        Date now = new Date();
        X509v2CRLBuilder builder = new X509v2CRLBuilder(
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()), now);
        builder.setNextUpdate(Date.from(Instant.now().plus(Duration.ofDays(365))));
        for (X509Certificate cert : revoked) {
            builder.addCRLEntry(cert.getSerialNumber(), now, CRLReason.keyCompromise);
        }
        try {
            return new JcaX509CRLConverter().getCRL(builder.build(signer(ca.keys().getPrivate())));
        } catch (GeneralSecurityException e) {
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

    private static X509Certificate build(String name, java.security.PublicKey subjectKey, String issuer,
                                         KeyPair issuerKeys, boolean isCa, Instant from, Instant until,
                                         List<String> dnsNames) throws TrustException {
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(x500(issuer),
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
        return new X500Name("CN=" + cn.replace("\\", "\\\\").replace(",", "\\,").replace("+", "\\+")
                .replace("=", "\\="));
    }

    private static ContentSigner signer(PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaContentSignerBuilder(Signatures.algorithm(key.getAlgorithm())).build(key);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
    }
}
