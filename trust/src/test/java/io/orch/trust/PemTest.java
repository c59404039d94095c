package io.orch.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Private keys in every form a site has them, and the files orch refuses, each with a message naming it. */
class PemTest {
    @TempDir
    Path dir;

    @Test
    void pkcs8KeysOfEveryKindLoad() throws Exception {
        for (KeyPair keys : new KeyPair[] {TestPki.rsa(2048), TestPki.ec(), TestPki.ed25519()}) {
            Path file = TestPki.writePkcs8(dir.resolve(keys.getPrivate().getAlgorithm() + ".pem"), keys.getPrivate());
            assertEquals(keys.getPrivate().getAlgorithm(), Pem.privateKey(file).getAlgorithm());
        }
    }

    @Test
    void sec1EcKeyLoads() throws Exception {
        // As openssl ecparam -genkey writes it: the curve and the public key inside the SEC1 structure.
        KeyPair keys = TestPki.ec();
        org.bouncycastle.asn1.pkcs.PrivateKeyInfo info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(
                keys.getPrivate().getEncoded());
        org.bouncycastle.asn1.sec.ECPrivateKey inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(
                info.parsePrivateKey());
        org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, inner.getKey(),
                org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded())
                        .getPublicKeyData(), info.getPrivateKeyAlgorithm().getParameters());
        Path file = TestPki.ownerOnly(TestPki.write(dir.resolve("ec.pem"),
                new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1.getEncoded())));
        assertTrue(Files.readString(file).startsWith("-----BEGIN EC PRIVATE KEY-----"));
        assertEquals("EC", Pem.privateKey(file).getAlgorithm());
    }

    @Test
    void privateKeyReadableByOthersIsRefusedAsSshDoes() throws Exception {
        Path file = TestPki.writePkcs8(dir.resolve("key.pem"), TestPki.ec().getPrivate());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        TrustException e = assertThrows(TrustException.class, () -> Pem.privateKey(file));

        assertTrue(e.getMessage().contains("readable by its owner only: chmod 600 " + file), e.getMessage());
    }

    @Test
    void privateKeyReadableByItsGroupIsRefused() throws Exception {
        Path file = TestPki.writePkcs8(dir.resolve("key.pem"), TestPki.ec().getPrivate());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        notRootGroup(file);
        assertThrows(TrustException.class, () -> Pem.privateKey(file));
    }

    @Test
    void puppetsRootRootModeSixFortyKeyIsAccepted() throws Exception {
        Path file = TestPki.writePkcs8(dir.resolve("key.pem"), TestPki.ec().getPrivate());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        org.junit.jupiter.api.Assumptions.assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(file, "unix:gid")),
                "only root can give a file the group root");
        assertEquals("EC", Pem.privateKey(file).getAlgorithm());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw----"));
        assertThrows(TrustException.class, () -> Pem.privateKey(file), "group root may read, never write");
    }

    /** A group-readable key counts as exposed unless its group is root: give it another group when we can. */
    static void notRootGroup(java.nio.file.Path file) {
        try {
            java.nio.file.attribute.GroupPrincipal nogroup = file.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByGroupName("nogroup");
            java.nio.file.Files.getFileAttributeView(file, java.nio.file.attribute.PosixFileAttributeView.class)
                    .setGroup(nogroup);
        } catch (java.io.IOException | UnsupportedOperationException e) {
            // not root, or no such group: the file keeps the user's own group, which is not root either
        }
    }


    @Test
    void fileWithoutAKeyCertificateOrCrlSaysWhatWasExpected() throws Exception {
        Path file = TestPki.ownerOnly(Files.writeString(dir.resolve("empty.pem"), "not a pem file\n"));
        assertTrue(assertThrows(TrustException.class, () -> Pem.privateKey(file)).getMessage()
                .contains("no private key in it"));
        assertTrue(assertThrows(TrustException.class, () -> Pem.certificates(file)).getMessage()
                .contains("no certificate in it"));
        assertTrue(assertThrows(TrustException.class, () -> Pem.crls(file)).getMessage()
                .contains("no CRL in it"));
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope.pem");
        assertEquals(missing + ": no such file",
                assertThrows(TrustException.class, () -> Pem.certificates(missing)).getMessage());
    }

    @Test
    void damagedPemIsRefusedNotThrownThrough() throws Exception {
        Path file = TestPki.ownerOnly(Files.writeString(dir.resolve("bad.pem"),
                "-----BEGIN CERTIFICATE-----\nAAAA!!!!\n-----END CERTIFICATE-----\n"));
        TrustException e = assertThrows(TrustException.class, () -> Pem.certificates(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }
}
