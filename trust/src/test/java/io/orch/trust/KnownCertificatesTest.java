package io.orch.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.SecureEnvelope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chains checked by one CLI run count in the next, only for the same CA and CRLs, and only for an hour. */
class KnownCertificatesTest {
    @TempDir
    Path dir;

    private final Codec codec = new Codec();

    @Test
    void aCheckedChainCountsInTheNextRunButARevocationEndsIt() throws Exception {
        LocalCa ca = LocalCa.create("ca", LocalCa.KeyType.ED25519, Duration.ofDays(2));
        SiteCa site = SiteCa.of(List.of(ca.certificate()), List.of(ca.crl()), "site");
        LocalCa.Issued node = ca.issue("web01", LocalCa.KeyType.ED25519, Duration.ofDays(1));
        Credentials web01 = Credentials.of(site, node.certificate(), List.of(), node.keys().getPrivate(),
                Instant.now(), "web01");
        SecureEnvelope reply = codec.decodeEnvelope(Sealer.signing(codec, web01).seal(SecureEnvelope.Kind.REPLY, "{}"));
        Path file = dir.resolve("known-certificates");
        Clock clock = Clock.systemUTC();

        KnownCertificates first = KnownCertificates.open(file, site, clock.instant());
        assertEquals("web01", Verifier.of(site, clock, first).verify(reply, "web01").name());
        first.save();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(Files.readString(file).contains(" web01\n"), Files.readString(file));

        // The next run: the same site sees the entry; a tampered body still fails its signature.
        KnownCertificates second = KnownCertificates.open(file, site, clock.instant());
        assertEquals("web01", Verifier.of(site, clock, second).verify(reply, "web01").name());
        SecureEnvelope tampered = new SecureEnvelope(reply.kind(), "{\"x\":1}", reply.signer(), reply.certificate(),
                reply.signature());
        assertThrows(TrustException.class, () -> Verifier.of(site, clock, second).verify(tampered, "web01"));

        // A new CRL revoking it: the remembered check no longer counts.
        SiteCa revoked = SiteCa.of(List.of(ca.certificate()), List.of(ca.crl(node.certificate())), "site");
        KnownCertificates third = KnownCertificates.open(file, revoked, clock.instant());
        TrustException e = assertThrows(TrustException.class,
                () -> Verifier.of(revoked, clock, third).verify(reply, "web01"));
        assertTrue(e.getMessage().contains("revoked"), e.getMessage());

        // An hour later, nothing remembered counts either.
        Clock later = Clock.fixed(Instant.now().plus(KnownCertificates.KEPT).plusSeconds(60), ZoneOffset.UTC);
        KnownCertificates stale = KnownCertificates.open(file, site, later.instant());
        assertTrue(stale.get(reply.certificate(), later.instant()).isEmpty());

        // A file others could have written is not believed.
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertTrue(KnownCertificates.open(file, site, clock.instant()).get(reply.certificate(), clock.instant())
                .isEmpty());
    }
}
