package io.orch.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code orch pki} relies on in its CA: reloading it from files, and CRLs that keep what they revoked. */
class LocalCaTest {
    private static final Duration YEAR = Duration.ofDays(365);

    @TempDir
    Path dir;

    @Test
    void aNewCrlKeepsThePreviousEntriesWithTheirDatesAndCountsUp() throws Exception {
        LocalCa ca = LocalCa.create("orch CA", LocalCa.KeyType.EC, YEAR);
        LocalCa.Issued first = ca.issue("web01", LocalCa.KeyType.EC, YEAR);
        LocalCa.Issued second = ca.issue("web02", LocalCa.KeyType.ED25519, YEAR);
        X509CRL empty = ca.crl();
        X509CRL one = ca.crl(empty, first.certificate());
        Thread.sleep(1100); // CRL dates have a resolution of one second

        X509CRL two = ca.crl(one, second.certificate(), first.certificate());

        assertEquals(BigInteger.ONE, number(empty));
        assertEquals(BigInteger.TWO, number(one));
        assertEquals(BigInteger.valueOf(3), number(two));
        assertEquals(2, two.getRevokedCertificates().size());
        assertEquals(one.getRevokedCertificate(first.certificate()).getRevocationDate(),
                two.getRevokedCertificate(first.certificate()).getRevocationDate());
        assertEquals(ca.certificate().getNotAfter(), two.getNextUpdate(), "current as long as the CA");
        SiteCa site = SiteCa.of(List.of(ca.certificate()), List.of(two), "test");
        assertTrue(assertThrows(TrustException.class, () -> site.verify(second.certificate(), List.of(),
                Instant.now())).getMessage().contains("revoked"));
    }

    @Test
    void aCrlOfAnotherCaIsNotCarriedOver() throws Exception {
        LocalCa ca = LocalCa.create("orch CA", LocalCa.KeyType.EC, YEAR);
        LocalCa other = LocalCa.create("orch CA", LocalCa.KeyType.EC, YEAR);

        TrustException e = assertThrows(TrustException.class, () -> ca.crl(other.crl()));

        assertTrue(e.getMessage().contains("not signed by this CA"), e.getMessage());
    }

    @Test
    void loadedCaIssuesUnderItsExactSubject() throws Exception {
        // A CA another tool made, with more than a CN in its subject: what it issues must name that subject.
        LocalCa made = LocalCa.create("Acme, Inc. CA", LocalCa.KeyType.ED25519, YEAR);
        Path cert = LocalCa.writePem(dir.resolve("ca.pem"), made.certificate());
        Path key = LocalCa.writePrivateKey(dir.resolve("ca_key.pem"), made.ca().keys().getPrivate());

        LocalCa loaded = LocalCa.load(cert, key);
        LocalCa.Issued node = loaded.issue("web01", LocalCa.KeyType.EC, YEAR, "localhost", "127.0.0.1");

        assertEquals("Acme, Inc. CA", loaded.ca().name());
        assertEquals(made.certificate().getSubjectX500Principal(), node.certificate().getIssuerX500Principal());
        SiteCa site = SiteCa.of(List.of(made.certificate()), List.of(loaded.crl()), "test");
        assertEquals("web01", site.verify(node.certificate(), List.of(), Instant.now()));
    }

    @Test
    void loadRefusesAKeyThatIsNotTheCasAndACertificateThatIsNoCa() throws Exception {
        LocalCa ca = LocalCa.create("orch CA", LocalCa.KeyType.EC, YEAR);
        LocalCa.Issued leaf = ca.issue("web01", LocalCa.KeyType.EC, YEAR);
        Path cert = LocalCa.writePem(dir.resolve("ca.pem"), ca.certificate());
        Path wrongKey = LocalCa.writePrivateKey(dir.resolve("other_key.pem"), leaf.keys().getPrivate());
        Path leafCert = LocalCa.writePem(dir.resolve("leaf.pem"), leaf.certificate());

        TrustException wrong = assertThrows(TrustException.class, () -> LocalCa.load(cert, wrongKey));
        TrustException noCa = assertThrows(TrustException.class, () -> LocalCa.load(leafCert, wrongKey));

        assertTrue(wrong.getMessage().contains("not the private key of the CA certificate"), wrong.getMessage());
        assertTrue(noCa.getMessage().contains("is not a CA certificate"), noCa.getMessage());
    }

    private static BigInteger number(X509CRL crl) throws Exception {
        Extension ext = new X509CRLHolder(crl.getEncoded()).getExtension(Extension.cRLNumber);
        assertNotNull(ext, "a CRL number");
        return CRLNumber.getInstance(ext.getParsedValue()).getCRLNumber();
    }
}
