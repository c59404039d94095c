package io.orch.trust;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A throwaway PKI for tests, made on the fly with {@link LocalCa}: no key is ever kept in the
 * repository. CAs are RSA, as Puppet's are.
 */
final class TestPki {
    private static final Duration TEN_YEARS = Duration.ofDays(3650);

    private TestPki() {
    }

    static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        return generator.generateKeyPair();
    }

    static KeyPair ec() {
        return LocalCa.KeyType.EC.generate();
    }

    static KeyPair ed25519() {
        return LocalCa.KeyType.ED25519.generate();
    }

    static LocalCa.Issued root(String name) throws Exception {
        return LocalCa.create(name, LocalCa.KeyType.RSA, TEN_YEARS).ca();
    }

    static LocalCa.Issued intermediate(String name, LocalCa.Issued issuer) throws Exception {
        return LocalCa.of(issuer).intermediate(name, LocalCa.KeyType.RSA, TEN_YEARS).ca();
    }

    static LocalCa.Issued leaf(String name, KeyPair keys, LocalCa.Issued issuer, Instant from, Instant until)
            throws Exception {
        return LocalCa.of(issuer).issue(name, keys, from, until);
    }

    static LocalCa.Issued leaf(String name, KeyPair keys, LocalCa.Issued issuer) throws Exception {
        return leaf(name, keys, issuer, Instant.now().minusSeconds(3600), Instant.now().plus(Duration.ofDays(365)));
    }

    static X509CRL crl(LocalCa.Issued issuer, X509Certificate... revoked) throws Exception {
        return LocalCa.of(issuer).crl(revoked);
    }

    /** Writes {@code objects} as PEM; a private key in its traditional form (PKCS#1 for RSA, SEC1 for EC). */
    static Path write(Path file, Object... objects) throws Exception {
        return LocalCa.writePem(file, objects);
    }

    /** Writes a private key as PKCS#8 ({@code BEGIN PRIVATE KEY}), readable by its owner only. */
    static Path writePkcs8(Path file, PrivateKey key) throws Exception {
        return LocalCa.writePrivateKey(file, key);
    }

    static Path ownerOnly(Path file) throws Exception {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    static List<X509Certificate> certs(LocalCa.Issued... issued) {
        return java.util.Arrays.stream(issued).map(LocalCa.Issued::certificate).toList();
    }
}
