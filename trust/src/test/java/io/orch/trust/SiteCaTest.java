package io.orch.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the site's CA accepts, and every reason it refuses a certificate. */
class SiteCaTest {
    static LocalCa.Issued root;
    static LocalCa.Issued other;
    static SiteCa ca;

    @BeforeAll
    static void pki() throws Exception {
        root = TestPki.root("orch site CA");
        other = TestPki.root("somebody else's CA");
        ca = SiteCa.of(TestPki.certs(root), List.of(TestPki.crl(root)), "test");
    }

    @Test
    void certificateOfTheSiteCaIsTrustedAndNamesItsCommonName() throws Exception {
        LocalCa.Issued alice = TestPki.leaf("alice", TestPki.ec(), root);
        assertEquals("alice", ca.verify(alice.certificate(), List.of(), Instant.now()));
    }

    @Test
    void ed25519CertificateIsTrustedToo() throws Exception {
        LocalCa.Issued node = TestPki.leaf("lab-0001", TestPki.ed25519(), root);
        assertEquals("lab-0001", ca.verify(node.certificate(), List.of(), Instant.now()));
    }

    @Test
    void certificateFromAnotherCaIsRefused() throws Exception {
        LocalCa.Issued mallory = TestPki.leaf("alice", TestPki.ec(), other);
        TrustException e = assertThrows(TrustException.class,
                () -> ca.verify(mallory.certificate(), List.of(other.certificate()), Instant.now()));
        assertTrue(e.getMessage().contains("not from the site's CA"), e.getMessage());
    }

    @Test
    void expiredCertificateIsRefusedNamingTheDate() throws Exception {
        Instant until = Instant.now().minus(Duration.ofDays(1));
        LocalCa.Issued old = TestPki.leaf("alice", TestPki.ec(), root, until.minus(Duration.ofDays(30)), until);
        TrustException e = assertThrows(TrustException.class,
                () -> ca.verify(old.certificate(), List.of(), Instant.now()));
        assertTrue(e.getMessage().contains("expired on"), e.getMessage());
    }

    @Test
    void certificateNotYetValidIsRefused() throws Exception {
        Instant from = Instant.now().plus(Duration.ofDays(1));
        LocalCa.Issued early = TestPki.leaf("alice", TestPki.ec(), root, from, from.plus(Duration.ofDays(30)));
        TrustException e = assertThrows(TrustException.class,
                () -> ca.verify(early.certificate(), List.of(), Instant.now()));
        assertTrue(e.getMessage().contains("not valid before"), e.getMessage());
    }

    @Test
    void aBundleWithoutARootIsRefusedAtLoad() throws Exception {
        LocalCa.Issued intermediate = TestPki.intermediate("intermediate", root);
        TrustException e = assertThrows(TrustException.class,
                () -> SiteCa.of(TestPki.certs(intermediate), List.of(), "ca.pem"));
        assertTrue(e.getMessage().contains("no self-signed root"), e.getMessage());
    }
}
