package io.orch.cli.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.cli.ExitCode;
import io.orch.cli.config.ClientConfig;
import io.orch.trust.Credentials;
import io.orch.trust.LocalCa;
import io.orch.trust.Pem;
import io.orch.trust.SecuritySettings;
import io.orch.trust.SiteCa;
import io.orch.trust.TrustException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code orch pki} run as the operator runs it: through orch's own command line, on real files. */
class PkiCommandTest {
    @TempDir
    Path tmp;

    record Result(int exitCode, String out, String err) {
        void assertUsageError(String expected) {
            assertEquals(ExitCode.USAGE, exitCode, this::toString);
            assertTrue(err.contains(expected), () -> "expected '" + expected + "' in:\n" + this);
            assertFalse(err.contains("Exception") || err.contains("\tat "), () -> "a stack trace:\n" + this);
        }
    }

    static Result orch(String... args) {
        CommandLine cli = OrchCommand.commandLine(ClientConfig.defaultsOnly());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private static Result ok(String... args) {
        Result result = orch(args);
        assertEquals(ExitCode.OK, result.exitCode(), result::toString);
        return result;
    }

    private static Credentials credentials(Path sslDir, String name) throws TrustException {
        return Credentials.load(SecuritySettings.puppet(sslDir, name).resolve(sslDir, name), Instant.now());
    }

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @ParameterizedTest
    @CsvSource({"ec, EC", "ed25519, EdDSA"})
    void initAndIssueMakeFilesOrchLoadsWithOwnerOnlyKeys(String keyType, String algorithm) throws Exception {
        Path ca = tmp.resolve("ca");
        Path ssl = tmp.resolve("ssl");

        Result init = ok("pki", "init", "--dir", ca.toString(), "--key-type", keyType, "--name", "ACME orch CA");
        Result issue = ok("pki", "issue", "web01.example.com", "--dir", ca.toString(), "--out", ssl.toString(),
                "--key-type", keyType);

        Credentials node = credentials(ssl, "web01.example.com");
        assertEquals("web01.example.com", node.name());
        assertTrue(node.key().getAlgorithm().startsWith(algorithm.substring(0, 2)), node.key().getAlgorithm());
        assertEquals("CN=ACME orch CA", node.certificate().getIssuerX500Principal().getName());
        assertTrue(Pem.certificates(ca.resolve("ca.pem")).get(0).getPublicKey().getAlgorithm()
                .startsWith(algorithm.substring(0, 2)));
        assertEquals("rw-------", mode(ca.resolve("ca_key.pem")));
        assertEquals("rw-------", mode(ssl.resolve("private_keys/web01.example.com.pem")));
        assertEquals("rwx------", mode(ca));
        assertTrue(Files.exists(ssl.resolve("crl.pem")) && Files.exists(ssl.resolve("certs/ca.pem")));
        assertEquals(node.certificate(), Pem.certificates(ca.resolve("issued/web01.example.com.pem")).get(0),
                "the CA's index holds what it issued");
        assertTrue(init.out().contains(ca.resolve("ca_key.pem").toString()), init::toString);
        assertTrue(issue.out().contains("security: {ssl_dir: " + ssl.toAbsolutePath() + "}"), issue::toString);
    }

    @Test
    void initNeverOverwritesACa() throws Exception {
        Path ca = tmp.resolve("ca");
        ok("pki", "init", "--dir", ca.toString());
        byte[] before = Files.readAllBytes(ca.resolve("ca_key.pem"));

        orch("pki", "init", "--dir", ca.toString(), "--key-type", "ed25519")
                .assertUsageError("orch: " + ca + " already holds a CA (" + ca.resolve("ca.pem") + ")");

        assertArrayEquals(before, Files.readAllBytes(ca.resolve("ca_key.pem")));
    }

    @Test
    void issuingTwiceIsRefusedWithoutForce() throws Exception {
        Path ca = tmp.resolve("ca");
        Path ssl = tmp.resolve("ssl");
        ok("pki", "init", "--dir", ca.toString());
        ok("pki", "issue", "web01", "--dir", ca.toString(), "--out", ssl.toString());
        Path key = ssl.resolve("private_keys/web01.pem");
        byte[] before = Files.readAllBytes(key);

        orch("pki", "issue", "web01", "--dir", ca.toString(), "--out", ssl.toString())
                .assertUsageError(key + " already exists; orch pki issue overwrites a key or certificate only "
                        + "with --force");
        orch("pki", "issue", "web01", "--dir", ca.toString(), "--out", tmp.resolve("elsewhere").toString())
                .assertUsageError("web01 already has a certificate from this CA");
        assertArrayEquals(before, Files.readAllBytes(key));
        assertFalse(Files.exists(tmp.resolve("elsewhere")));

        Result forced = ok("pki", "issue", "web01", "--dir", ca.toString(), "--out", ssl.toString(), "--force");

        assertFalse(java.util.Arrays.equals(before, Files.readAllBytes(key)), "a new key");
        assertEquals("rw-------", mode(key));
        assertEquals("web01", credentials(ssl, "web01").name());
        assertEquals(2, Pem.certificates(ca.resolve("issued/web01.pem")).size(), "both stay revocable by name");
        assertTrue(forced.out().contains("1 earlier certificate of web01 stays valid"), forced::toString);
    }

    @Test
    void revokedCertificateIsRefusedByTheSiteCaAsRevoked() throws Exception {
        Path ca = tmp.resolve("ca");
        ok("pki", "init", "--dir", ca.toString());
        ok("pki", "issue", "web01", "--dir", ca.toString(), "--out", tmp.resolve("web01").toString());
        ok("pki", "issue", "web02", "--dir", ca.toString(), "--out", tmp.resolve("web02").toString(),
                "--key-type", "ed25519");
        ok("pki", "issue", "web01", "--dir", ca.toString(), "--out", tmp.resolve("web01-new").toString(), "--force");
        X509Certificate first = credentials(tmp.resolve("web01"), "web01").certificate();
        X509Certificate second = credentials(tmp.resolve("web01-new"), "web01").certificate();
        X509Certificate other = credentials(tmp.resolve("web02"), "web02").certificate();

        Result revoke = ok("pki", "revoke", "web01", "--dir", ca.toString());

        SiteCa site = SiteCa.load(ca.resolve("ca.pem"), ca.resolve("crl.pem"));
        for (X509Certificate revoked : List.of(first, second)) {
            TrustException e = assertThrows(TrustException.class,
                    () -> site.verify(revoked, List.of(), Instant.now()));
            assertTrue(e.getMessage().endsWith("is not trusted: revoked"), e.getMessage());
        }
        assertEquals("web02", site.verify(other, List.of(), Instant.now()));
        assertTrue(revoke.out().contains(ca.resolve("crl.pem") + " now lists 2 revoked certificates"),
                revoke::toString);
        assertTrue(revoke.out().contains("<ssl_dir>/crl.pem"), revoke::toString);
        orch("pki", "revoke", "web01", "--dir", ca.toString())
                .assertUsageError("no certificate issued to web01 in " + ca.resolve("issued") + " (revoked already");

        // Revoking another keeps the first ones on the list.
        ok("pki", "revoke", "web02", "--dir", ca.toString());
        assertEquals(3, Pem.crls(ca.resolve("crl.pem")).get(0).getRevokedCertificates().size());

        // Issued again after revocation: trusted, under the new CRL too.
        Path fresh = tmp.resolve("web01-fresh");
        ok("pki", "issue", "web01", "--dir", ca.toString(), "--out", fresh.toString());
        assertEquals("web01", credentials(fresh, "web01").name());
    }

    @Test
    void brokerCertificateNamesItsHostsAndAddresses() throws Exception {
        Path ca = tmp.resolve("ca");
        Path ssl = tmp.resolve("broker");
        ok("pki", "init", "--dir", ca.toString());

        ok("pki", "issue", "broker.example.com", "--dir", ca.toString(), "--out", ssl.toString(),
                "--dns", "broker.example.com", "--dns", "localhost", "--dns", "127.0.0.1", "--dns", "::1");

        X509Certificate cert = credentials(ssl, "broker.example.com").certificate();
        assertEquals(List.of(List.of(2, "broker.example.com"), List.of(2, "localhost"), List.of(7, "127.0.0.1"),
                List.of(7, "0:0:0:0:0:0:0:1")), List.copyOf(cert.getSubjectAlternativeNames()));
        assertTrue(cert.getExtendedKeyUsage().containsAll(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2")),
                "TLS server and client");
    }

    @Test
    void showPrintsTheIdentityAndWhatMattersAtTwoInTheMorning() throws Exception {
        Path ca = tmp.resolve("ca");
        Path ssl = tmp.resolve("ssl");
        ok("pki", "init", "--dir", ca.toString());
        ok("pki", "issue", "broker", "--dir", ca.toString(), "--out", ssl.toString(), "--key-type", "ed25519",
                "--dns", "localhost", "--dns", "127.0.0.1", "--days", "30");
        ok("pki", "revoke", "broker", "--dir", ca.toString());
        X509Certificate cert = Pem.certificates(ssl.resolve("certs/broker.pem")).get(0);
        String serial = io.orch.cli.pki.CertificateText.serial(cert);

        Result show = ok("pki", "show", ssl.resolve("certs/broker.pem").toString(), ca.resolve("crl.pem").toString(),
                ca.resolve("ca.pem").toString());

        String out = show.out();
        assertTrue(out.contains("certificate in " + ssl.resolve("certs/broker.pem") + ":\n  identity  broker\n"
                + "  subject   CN=broker\n  issuer    CN=orch CA\n"), out);
        assertTrue(out.contains("(29 days left)"), out);
        assertTrue(out.contains("  key       Ed25519\n  names     DNS:localhost, IP:127.0.0.1\n  serial    "
                + serial + "\n  ca        no\n"), out);
        assertTrue(out.contains("CRL in " + ca.resolve("crl.pem") + ":\n  crl of    CN=orch CA\n"), out);
        assertTrue(out.contains("  revoked   1\n            " + serial + " ("), out);
        assertTrue(out.contains("  key       EC P-256\n  names     none\n"), "the CA: " + out);
        assertTrue(out.contains("  ca        yes"), out);
        assertTrue(out.contains("issuer    CN=orch CA (self-signed)"), out);
    }

    @Test
    void showReadsPuppetsRsaCertificatesAndBundlesToo() throws Exception {
        LocalCa root = LocalCa.create("Puppet Root CA: 0a1b2c3d", LocalCa.KeyType.RSA, Duration.ofDays(3650));
        LocalCa intermediate = root.intermediate("Puppet CA: puppet.example.com", LocalCa.KeyType.RSA,
                Duration.ofDays(3650));
        LocalCa.Issued agent = intermediate.issue("web01.example.com", LocalCa.KeyType.RSA, Duration.ofDays(365));
        Path bundle = LocalCa.writePem(tmp.resolve("certs/ca.pem"), root.certificate(), intermediate.certificate());
        Path cert = LocalCa.writePem(tmp.resolve("certs/web01.example.com.pem"), agent.certificate());

        String out = ok("pki", "show", cert.toString(), bundle.toString()).out();

        assertTrue(out.contains("identity  web01.example.com\n"), out);
        assertTrue(out.contains("issuer    CN=Puppet CA: puppet.example.com\n"), out);
        assertTrue(out.contains("key       RSA 2048\n"), out);
        assertTrue(out.contains("certificate 1 of 2 in " + bundle + ":\n  identity  Puppet Root CA: 0a1b2c3d "
                + "(orch cannot use it: invalid identity"), out);
        assertTrue(out.contains("certificate 2 of 2 in " + bundle), out);
    }

    @Test
    void mistakesAreUsageErrorsThatSayWhatToDo() throws Exception {
        Path ca = tmp.resolve("ca");
        String dir = ca.toString();
        String out = tmp.resolve("out").toString();
        orch("pki", "issue", "web01", "--dir", dir, "--out", out).assertUsageError(
                dir + " holds no CA (no ca.pem); make one with orch pki init --dir " + dir);
        ok("pki", "init", "--dir", dir);

        orch("pki", "issue", "web 01", "--dir", dir, "--out", out).assertUsageError("invalid identity 'web 01'");
        orch("pki", "issue", "../web01", "--dir", dir, "--out", out).assertUsageError("invalid identity '../web01'");
        orch("pki", "revoke", "*", "--dir", dir).assertUsageError("invalid identity '*'");
        orch("pki", "issue", "web01", "--dir", dir, "--out", out, "--key-type", "rsa")
                .assertUsageError("'rsa' is not a key type orch pki makes; use ec (P-256) or ed25519");
        orch("pki", "init", "--dir", tmp.resolve("ca2").toString(), "--key-type", "dsa")
                .assertUsageError("use ec (P-256) or ed25519");
        orch("pki", "issue", "web01", "--dir", dir, "--out", out, "--dns", "bad host")
                .assertUsageError("--dns 'bad host' is neither a host name nor an IP address");
        orch("pki", "issue", "web01", "--dir", dir, "--out", out, "--days", "4000")
                .assertUsageError("--days 4000 runs past the CA's own expiry");
        orch("pki", "issue", "web01", "--dir", dir, "--out", out, "--days", "0")
                .assertUsageError("--days must be at least 1");
        orch("pki", "issue", "web01", "--dir", dir).assertUsageError("Missing required option: '--out=SSL_DIR'");
        orch("pki", "show", tmp.resolve("nope.pem").toString()).assertUsageError("nope.pem: no such file");
        orch("pki", "show", ca.resolve("ca_key.pem").toString()).assertUsageError("holds a private key");
        orch("pki").assertUsageError("missing subcommand");
        assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
    }

    @Test
    void neverWritesIntoAnSslDirectoryOfAnotherCa() throws Exception {
        Path ca = tmp.resolve("ca");
        ok("pki", "init", "--dir", ca.toString());
        Path puppet = tmp.resolve("puppet-ssl");
        LocalCa puppetCa = LocalCa.create("Puppet CA: puppet.example.com", LocalCa.KeyType.RSA, Duration.ofDays(30));
        Path theirs = LocalCa.writePem(puppet.resolve("certs/ca.pem"), puppetCa.certificate());
        byte[] before = Files.readAllBytes(theirs);

        orch("pki", "issue", "web01", "--dir", ca.toString(), "--out", puppet.toString(), "--force")
                .assertUsageError(theirs + " holds another CA ('CN=Puppet CA: puppet.example.com')");

        assertArrayEquals(before, Files.readAllBytes(theirs));
        assertFalse(Files.exists(puppet.resolve("private_keys")));
    }

    @Test
    void aKeyItsGroupCanReadIsRefusedAsSshRefusesIt() throws Exception {
        Path ca = tmp.resolve("ca");
        Path ssl = tmp.resolve("ssl");
        ok("pki", "init", "--dir", ca.toString());
        ok("pki", "issue", "alice", "--dir", ca.toString(), "--out", ssl.toString());
        Path key = ssl.resolve("private_keys/alice.pem");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
        notRootGroup(key);

        TrustException e = assertThrows(TrustException.class, () -> credentials(ssl, "alice"));

        assertTrue(e.getMessage().contains("chmod 600 " + key), e.getMessage());
        Files.setPosixFilePermissions(ca.resolve("ca_key.pem"), PosixFilePermissions.fromString("rw-r--r--"));
        orch("pki", "issue", "bob", "--dir", ca.toString(), "--out", ssl.toString())
                .assertUsageError("chmod 600 " + ca.resolve("ca_key.pem"));
        assertNotEquals(ExitCode.OK, orch("pki", "revoke", "alice", "--dir", ca.toString()).exitCode());
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
}
