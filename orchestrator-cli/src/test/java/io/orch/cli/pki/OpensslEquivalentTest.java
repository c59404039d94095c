package io.orch.cli.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.orch.cli.commands.OrchCommand;
import io.orch.cli.config.ClientConfig;
import io.orch.trust.Credentials;
import io.orch.trust.SecuritySettings;
import io.orch.trust.SiteCa;
import io.orch.trust.TrustException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * The openssl equivalent in docs/pki.md, checked against certificates nobody here wrote: the script the
 * page shows (verbatim, checked below) makes a CA and certificates with openssl alone, and orch loads
 * them; openssl in turn accepts what {@code orch pki} makes. Skipped where openssl is not installed.
 */
class OpensslEquivalentTest {
    private static final Path DOCS = Path.of("..", "docs");
    private static final Path SCRIPT = DOCS.resolve("pki-openssl.sh");

    @TempDir
    Path tmp;

    record Run(int exitCode, String output) {
    }

    @Test
    void thePageShowsTheScriptTheTestsRunVerbatim() throws IOException {
        String page = Files.readString(DOCS.resolve("pki.md"));
        int start = page.indexOf("```sh\n#!/bin/sh\n");
        assertTrue(start >= 0, "docs/pki.md shows no ```sh block starting with #!/bin/sh");
        int from = start + "```sh\n".length();
        int end = page.indexOf("\n```\n", from);

        assertEquals(Files.readString(SCRIPT), page.substring(from, end + 1),
                "docs/pki.md must show docs/pki-openssl.sh exactly as it is");
    }

    @ParameterizedTest
    @CsvSource({"ec, EC", "ed25519, EdDSA"})
    void whatOpensslMakesOrchLoadsAndRevocationHolds(String keyType, String algorithm) throws Exception {
        requireOpenssl();
        Path ca = tmp.resolve("orch-ca");
        Path node = tmp.resolve("web01-ssl");
        Path broker = tmp.resolve("broker-ssl");

        script("init", ca.toString(), keyType);
        script("issue", ca.toString(), "web01.example.com", node.toString(), keyType);
        script("issue", ca.toString(), "broker.example.com", broker.toString(), keyType, "broker.example.com",
                "localhost", "127.0.0.1");

        Credentials web01 = credentials(node, "web01.example.com");
        assertEquals("web01.example.com", web01.name());
        assertTrue(web01.key().getAlgorithm().startsWith(algorithm.substring(0, 2)), web01.key().getAlgorithm());
        assertEquals("rw-------", mode(ca.resolve("ca_key.pem")));
        assertEquals("rw-------", mode(node.resolve("private_keys/web01.example.com.pem")));
        Credentials brokerCredentials = credentials(broker, "broker.example.com");
        assertEquals(List.of(List.of(2, "broker.example.com"), List.of(2, "localhost"), List.of(7, "127.0.0.1")),
                List.copyOf(brokerCredentials.certificate().getSubjectAlternativeNames()));
        SiteCa site = SiteCa.load(ca.resolve("ca.pem"), ca.resolve("crl.pem"));
        assertEquals("web01.example.com", site.verify(web01.certificate(), List.of(), Instant.now()));

        script("revoke", ca.toString(), "web01.example.com");

        SiteCa afterRevoke = SiteCa.load(ca.resolve("ca.pem"), ca.resolve("crl.pem"));
        TrustException e = assertThrows(TrustException.class,
                () -> afterRevoke.verify(web01.certificate(), List.of(), Instant.now()));
        assertTrue(e.getMessage().endsWith("is not trusted: revoked"), e.getMessage());
        assertEquals("broker.example.com", afterRevoke.verify(brokerCredentials.certificate(), List.of(),
                Instant.now()));
    }

    @ParameterizedTest
    @CsvSource({"ec", "ed25519"})
    void orchPkiIssuesFromACaOpensslMade(String keyType) throws Exception {
        requireOpenssl();
        Path ca = tmp.resolve("orch-ca");
        Path alice = tmp.resolve("alice-ssl");
        script("init", ca.toString(), keyType, "ACME orch CA");

        int code = orch("pki", "issue", "alice", "--dir", ca.toString(), "--out", alice.toString());

        assertEquals(0, code);
        Credentials credentials = credentials(alice, "alice");
        assertEquals("CN=ACME orch CA", credentials.certificate().getIssuerX500Principal().getName());
        assertEquals(0, openssl("verify", "-CAfile", ca.resolve("ca.pem").toString(), "-crl_check", "-CRLfile",
                ca.resolve("crl.pem").toString(), alice.resolve("certs/alice.pem").toString()).exitCode());
    }

    @ParameterizedTest
    @CsvSource({"ec", "ed25519"})
    void opensslAcceptsWhatOrchPkiMakesAndHonoursItsRevocations(String keyType) throws Exception {
        requireOpenssl();
        Path ca = tmp.resolve("ca");
        Path node = tmp.resolve("web01-ssl");
        assertEquals(0, orch("pki", "init", "--dir", ca.toString(), "--key-type", keyType));
        assertEquals(0, orch("pki", "issue", "web01", "--dir", ca.toString(), "--out", node.toString(),
                "--key-type", keyType, "--dns", "localhost"));
        String[] verify = {"verify", "-CAfile", ca.resolve("ca.pem").toString(), "-crl_check", "-CRLfile",
            ca.resolve("crl.pem").toString(), "-purpose", "sslserver", node.resolve("certs/web01.pem").toString()};

        Run before = openssl(verify);
        assertEquals(0, before.exitCode(), before.output());
        Run keyCheck = openssl("pkey", "-in", node.resolve("private_keys/web01.pem").toString(), "-noout");
        assertEquals(0, keyCheck.exitCode(), keyCheck.output());
        Run crlCheck = openssl("crl", "-in", ca.resolve("crl.pem").toString(), "-CAfile",
                ca.resolve("ca.pem").toString(), "-noout");
        assertEquals(0, crlCheck.exitCode(), crlCheck.output());

        assertEquals(0, orch("pki", "revoke", "web01", "--dir", ca.toString()));

        Run after = openssl(verify);
        assertNotEquals(0, after.exitCode(), after.output());
        assertTrue(after.output().contains("certificate revoked"), after.output());
    }

    private static Credentials credentials(Path sslDir, String name) throws TrustException {
        return Credentials.load(SecuritySettings.puppet(sslDir, name).resolve(sslDir, name), Instant.now());
    }

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private static int orch(String... args) {
        CommandLine cli = OrchCommand.commandLine(ClientConfig.defaultsOnly());
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        assertTrue(code != 0 || err.toString().isEmpty(), err::toString);
        return code;
    }

    private void script(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", SCRIPT.toString()));
        command.addAll(List.of(args));
        Run run = run(command);
        assertEquals(0, run.exitCode(), () -> String.join(" ", command) + " failed:\n" + run.output());
    }

    private static Run openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        return run(command);
    }

    private static Run run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "still running: " + command);
        return new Run(process.exitValue(), output);
    }

    private static void requireOpenssl() {
        Run version;
        try {
            version = run(List.of("openssl", "version"));
        } catch (Exception e) {
            version = null;
        }
        assumeTrue(version != null && version.exitCode() == 0, "openssl is not installed");
    }
}
