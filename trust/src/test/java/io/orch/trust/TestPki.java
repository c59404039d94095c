package io.orch.trust;

import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throwaway PKI for tests, made on the fly: no key is ever kept in the repository. */
final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    record Issued(X509Certificate certificate, KeyPair keys) {
    }

    private TestPki() {
    }

    static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        return generator.generateKeyPair();
    }

    static KeyPair ec() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    static KeyPair ed25519() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    static Issued root(String name) throws Exception {
        KeyPair keys = rsa(2048);
        return new Issued(certificate(name, keys, name, keys.getPrivate(), true, Instant.now().minusSeconds(3600),
                Instant.now().plus(Duration.ofDays(3650))), keys);
    }

    static Issued intermediate(String name, Issued issuer) throws Exception {
        KeyPair keys = rsa(2048);
        return new Issued(certificate(name, keys, cn(issuer), issuer.keys().getPrivate(), true,
                Instant.now().minusSeconds(3600), Instant.now().plus(Duration.ofDays(3650))), keys);
    }

    static Issued leaf(String name, KeyPair keys, Issued issuer, Instant from, Instant until) throws Exception {
        return new Issued(certificate(name, keys, cn(issuer), issuer.keys().getPrivate(), false, from, until), keys);
    }

    static Issued leaf(String name, KeyPair keys, Issued issuer) throws Exception {
        return leaf(name, keys, issuer, Instant.now().minusSeconds(3600), Instant.now().plus(Duration.ofDays(365)));
    }

    static X509CRL crl(Issued issuer, X509Certificate... revoked) throws Exception {
        Date now = new Date();
        X509v2CRLBuilder builder = new X509v2CRLBuilder(new X500Name("CN=" + cn(issuer)), now);
        builder.setNextUpdate(Date.from(Instant.now().plus(Duration.ofDays(30))));
        for (X509Certificate cert : revoked) {
            builder.addCRLEntry(cert.getSerialNumber(), now, CRLReason.keyCompromise);
        }
        return new JcaX509CRLConverter().getCRL(builder.build(signer(issuer.keys().getPrivate())));
    }

    /** Writes {@code objects} as PEM; a private key in its traditional form (PKCS#1 for RSA, SEC1 for EC). */
    static Path write(Path file, Object... objects) throws Exception {
        Files.createDirectories(file.getParent());
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            for (Object o : objects) {
                pem.writeObject(o);
            }
        }
        Files.writeString(file, text.toString());
        return file;
    }

    /** Writes a private key as PKCS#8 ({@code BEGIN PRIVATE KEY}), readable by its owner only. */
    static Path writePkcs8(Path file, PrivateKey key) throws Exception {
        Files.createDirectories(file.getParent());
        try (Writer out = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(new JcaPKCS8Generator(key, null));
        }
        return ownerOnly(file);
    }

    static Path ownerOnly(Path file) throws Exception {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static String cn(Issued issued) throws Exception {
        return SiteCa.commonName(issued.certificate());
    }

    private static X509Certificate certificate(String name, KeyPair keys, String issuer, PrivateKey issuerKey,
                                               boolean ca, Instant from, Instant until) throws Exception {
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name("CN=" + issuer),
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from), Date.from(until),
                new X500Name("CN=" + name), keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer(issuerKey)));
    }

    private static ContentSigner signer(PrivateKey key) throws Exception {
        return new JcaContentSignerBuilder("SHA256withRSA").build(key);
    }

    static List<X509Certificate> certs(Issued... issued) {
        return java.util.Arrays.stream(issued).map(Issued::certificate).toList();
    }
}
