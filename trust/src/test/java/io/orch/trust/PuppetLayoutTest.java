package io.orch.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificates, keys and the CRL exactly as a Puppet CA lays them out: {@code ssl/certs/ca.pem}
 * holding the root and the intermediate, {@code ssl/certs/<certname>.pem}, {@code
 * ssl/private_keys/<certname>.pem} as a PKCS#1 RSA 4096 key, {@code ssl/crl.pem} with both CAs'
 * CRLs. orch reads them as they lie.
 */
class PuppetLayoutTest {
    @TempDir
    static Path ssl;

    static LocalCa.Issued root;
    static LocalCa.Issued intermediate;
    static LocalCa.Issued node;
    static LocalCa.Issued revoked;

    @BeforeAll
    static void puppetCa() throws Exception {
        root = TestPki.root("Puppet Root CA: 0a1b2c3d");
        intermediate = TestPki.intermediate("Puppet CA: puppet.example.com", root);
        node = TestPki.leaf("web01.example.com", TestPki.rsa(4096), intermediate);
        revoked = TestPki.leaf("old01.example.com", TestPki.rsa(2048), intermediate);
        TestPki.write(ssl.resolve("certs/ca.pem"), root.certificate(), intermediate.certificate());
        TestPki.write(ssl.resolve("certs/web01.example.com.pem"), node.certificate());
        TestPki.write(ssl.resolve("certs/old01.example.com.pem"), revoked.certificate());
        TestPki.ownerOnly(TestPki.write(ssl.resolve("private_keys/web01.example.com.pem"), node.keys().getPrivate()));
        TestPki.write(ssl.resolve("crl.pem"), TestPki.crl(intermediate, revoked.certificate()), TestPki.crl(root));
    }

    private static SiteCa siteCa() throws TrustException {
        return SiteCa.load(ssl.resolve("certs/ca.pem"), ssl.resolve("crl.pem"));
    }

    @Test
    void nodeCertificateChainsThroughTheIntermediateAndNamesItsCertname() throws Exception {
        var cert = Pem.certificates(ssl.resolve("certs/web01.example.com.pem")).get(0);

        assertEquals("web01.example.com", siteCa().verify(cert, List.of(), Instant.now()));
    }

    @Test
    void pkcs1RsaKeyAsPuppetWritesItLoadsAndSignsForItsCertificate() throws Exception {
        Path key = ssl.resolve("private_keys/web01.example.com.pem");
        assertTrue(Files.readString(key).startsWith("-----BEGIN RSA PRIVATE KEY-----"), "PKCS#1, as Puppet has it");

        PrivateKey loaded = Pem.privateKey(key);

        Signature sign = Signature.getInstance("SHA256withRSA");
        sign.initSign(loaded);
        sign.update("orch".getBytes());
        byte[] signature = sign.sign();
        Signature check = Signature.getInstance("SHA256withRSA");
        check.initVerify(node.certificate().getPublicKey());
        check.update("orch".getBytes());
        assertTrue(check.verify(signature));
    }

    @Test
    void revokedCertificateIsRefusedSayingSo() throws Exception {
        TrustException e = assertThrows(TrustException.class,
                () -> siteCa().verify(revoked.certificate(), List.of(), Instant.now()));
        assertTrue(e.getMessage().contains("revoked"), e.getMessage());
    }

    @Test
    void withoutACrlFromTheIssuerRevocationCannotBeCheckedAndTheCertificateIsRefused() throws Exception {
        Path onlyRoot = TestPki.write(ssl.resolve("crl-root-only.pem"), TestPki.crl(root));
        SiteCa ca = SiteCa.load(ssl.resolve("certs/ca.pem"), onlyRoot);

        TrustException e = assertThrows(TrustException.class,
                () -> ca.verify(node.certificate(), List.of(), Instant.now()));
        assertTrue(e.getMessage().contains("revocation cannot be checked"), e.getMessage());
    }

    @Test
    void keyPairsOfTheLayoutMatch() throws Exception {
        KeyPair keys = node.keys();
        assertEquals(keys.getPublic(), Pem.certificates(ssl.resolve("certs/web01.example.com.pem")).get(0)
                .getPublicKey());
    }
}
