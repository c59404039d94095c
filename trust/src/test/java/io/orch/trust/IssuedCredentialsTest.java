package io.orch.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Credentials#issuedBy}: the lab's cheap check of certificates its own CA issued must refuse what
 * {@link Credentials#of} refuses for such a certificate: another CA's (even one of the same name), a key
 * that is not the certificate's, a certificate out of its dates.
 */
class IssuedCredentialsTest {
    private static final Duration MONTH = Duration.ofDays(30);

    @Test
    void aCertificateOfTheCaWithItsKeyIsAccepted() throws Exception {
        LocalCa ca = LocalCa.create("orch lab CA", LocalCa.KeyType.ED25519, MONTH);
        LocalCa.Issued node = ca.issue("lab-0001", LocalCa.KeyType.ED25519, MONTH);
        SiteCa site = SiteCa.of(List.of(ca.certificate()), List.of(ca.crl()), "test");

        Credentials credentials = Credentials.issuedBy(ca, site, node.certificate(), node.keys().getPrivate(),
                Instant.now(), "lab node");

        assertEquals("lab-0001", credentials.name());
        // what a peer believes of it: the same certificate passes the full PKIX check
        assertEquals("lab-0001", Credentials.of(site, node.certificate(), List.of(), node.keys().getPrivate(),
                Instant.now(), "lab node").name());
    }

    @Test
    void aCertificateOfAnotherCaWithTheSameNameIsRefused() throws Exception {
        LocalCa ca = LocalCa.create("orch lab CA", LocalCa.KeyType.ED25519, MONTH);
        LocalCa lookAlike = LocalCa.create("orch lab CA", LocalCa.KeyType.ED25519, MONTH);
        LocalCa.Issued forged = lookAlike.issue("lab-0001", LocalCa.KeyType.ED25519, MONTH);
        SiteCa site = SiteCa.of(List.of(ca.certificate()), List.of(ca.crl()), "test");

        TrustException e = assertThrows(TrustException.class, () -> Credentials.issuedBy(ca, site,
                forged.certificate(), forged.keys().getPrivate(), Instant.now(), "lab node lab-0001"));

        assertTrue(e.getMessage().startsWith("lab node lab-0001: "), e.getMessage());
        assertTrue(e.getMessage().contains("signature"), e.getMessage());
    }

    @Test
    void aRevokedCertificateIsRefused() throws Exception {
        LocalCa ca = LocalCa.create("orch lab CA", LocalCa.KeyType.ED25519, MONTH);
        LocalCa.Issued node = ca.issue("lab-0001", LocalCa.KeyType.ED25519, MONTH);
        SiteCa site = SiteCa.of(List.of(ca.certificate()), List.of(ca.crl(node.certificate())), "test");

        TrustException e = assertThrows(TrustException.class, () -> Credentials.issuedBy(ca, site,
                node.certificate(), node.keys().getPrivate(), Instant.now(), "lab node"));

        assertTrue(e.getMessage().contains("revoked"), e.getMessage());
    }

    @Test
    void anIssuerThatIsNotARootOfTheSiteIsRefused() throws Exception {
        LocalCa ca = LocalCa.create("orch lab CA", LocalCa.KeyType.ED25519, MONTH);
        LocalCa other = LocalCa.create("another CA", LocalCa.KeyType.ED25519, MONTH);
        LocalCa.Issued node = other.issue("lab-0001", LocalCa.KeyType.ED25519, MONTH);
        SiteCa site = SiteCa.of(List.of(ca.certificate()), List.of(ca.crl()), "test");

        TrustException e = assertThrows(TrustException.class, () -> Credentials.issuedBy(other, site,
                node.certificate(), node.keys().getPrivate(), Instant.now(), "lab node"));

        assertTrue(e.getMessage().contains("not a root of the site's CA"), e.getMessage());
    }

    @Test
    void anotherKeyIsRefused() throws Exception {
        LocalCa ca = LocalCa.create("orch lab CA", LocalCa.KeyType.ED25519, MONTH);
        LocalCa.Issued node = ca.issue("lab-0001", LocalCa.KeyType.ED25519, MONTH);
        LocalCa.Issued other = ca.issue("lab-0002", LocalCa.KeyType.ED25519, MONTH);
        SiteCa site = SiteCa.of(List.of(ca.certificate()), List.of(ca.crl()), "test");

        TrustException e = assertThrows(TrustException.class, () -> Credentials.issuedBy(ca, site,
                node.certificate(), other.keys().getPrivate(), Instant.now(), "lab node"));

        assertTrue(e.getMessage().contains("not the key of certificate 'lab-0001'"), e.getMessage());
    }

    @Test
    void aCertificateOutOfItsDatesIsRefused() throws Exception {
        LocalCa ca = LocalCa.create("orch lab CA", LocalCa.KeyType.ED25519, MONTH);
        LocalCa.Issued node = ca.issue("lab-0001", LocalCa.KeyType.ED25519, Duration.ofDays(1));
        SiteCa site = SiteCa.of(List.of(ca.certificate()), List.of(ca.crl()), "test");

        TrustException e = assertThrows(TrustException.class, () -> Credentials.issuedBy(ca, site,
                node.certificate(), node.keys().getPrivate(), Instant.now().plus(Duration.ofDays(2)), "lab node"));

        assertTrue(e.getMessage().contains("not valid at"), e.getMessage());
    }
}
