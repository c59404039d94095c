package io.orch.cli.commands;

import io.orch.cli.ExitCode;
import io.orch.cli.UsageException;
import io.orch.cli.pki.CaDirectory;
import io.orch.cli.pki.CertificateText;
import io.orch.trust.LocalCa.KeyType;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "issue", mixinStandardHelpOptions = true,
        description = {"Issue a certificate to NAME (a node's identity, an operator's name or the broker's) with a "
                + "new key, written to SSL_DIR as Puppet lays out an ssl directory.",
            "SSL_DIR gets certs/NAME.pem, private_keys/NAME.pem (owner-only), certs/ca.pem and crl.pem: copy it to "
                    + "the machine and configure security: {ssl_dir: SSL_DIR}.",
            "Refuses to overwrite a key, or to issue a second certificate to NAME, without --force."})
final class PkiIssueCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The identity: the certificate's common name.")
    String name;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The CA's directory (orch pki init).")
    Path dir;

    @Option(names = "--out", required = true, paramLabel = "SSL_DIR", description = "The ssl directory to write.")
    Path out;

    @Option(names = "--key-type", defaultValue = "ec", paramLabel = "TYPE", converter = PkiCommand.KeyTypes.class,
            completionCandidates = PkiCommand.KeyTypes.class,
            description = "ec (P-256) or ed25519 (default: ${DEFAULT-VALUE}).")
    KeyType keyType;

    @Option(names = "--days", defaultValue = "730", paramLabel = "N",
            description = "How long the certificate is valid, in days (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--dns", paramLabel = "HOST",
            description = "A host name or IP address clients reach this machine by, for TLS (a broker's: "
                    + "--dns broker.example.com --dns localhost --dns 127.0.0.1); repeatable.")
    List<String> dns = new ArrayList<>();

    @Option(names = "--force", description = "Overwrite NAME's key and certificate in SSL_DIR, and issue even when "
            + "NAME has a valid certificate (which stays valid until it expires or is revoked).")
    boolean force;

    @Override
    public Integer call() {
        if (days < 1) {
            throw new UsageException("--days must be at least 1, not " + days);
        }
        CaDirectory ca = CaDirectory.at(dir);
        CaDirectory.Issue issue = ca.issue(name, keyType, Duration.ofDays(days), dns, out, force, Instant.now());
        X509Certificate cert = issue.issued().certificate();
        CaDirectory.SslDir files = issue.files();
        PrintWriter w = spec.commandLine().getOut();
        w.printf("Issued %s (%s, serial %s, valid until %s) by '%s'%s:%n", name,
                CertificateText.keyType(cert.getPublicKey()), CertificateText.serial(cert),
                cert.getNotAfter().toInstant(), cert.getIssuerX500Principal().getName(),
                dns.isEmpty() ? "" : " for " + String.join(", ", dns));
        w.printf("  %s%n  %s (owner-only)%n  %s%n  %s%n", files.certificate(), files.key(), files.ca(), files.crl());
        w.printf("Copy %s to %s's machine, the key owner-only, and point its config at where it lands:%n", out,
                name);
        w.printf("  security: {ssl_dir: %s}%n", out.toAbsolutePath().normalize());
        w.printf("(add certname: %s unless that is the node's identity or the operator's user name)%n", name);
        List<X509Certificate> earlier = issue.stillValid();
        if (!earlier.isEmpty()) {
            w.printf("Note: %d earlier certificate%s of %s stay%s valid (until %s); orch pki revoke %s --dir %s "
                            + "revokes all of %s's, this one included.%n", earlier.size(), earlier.size() == 1 ? ""
                            : "s", name, earlier.size() == 1 ? "s" : "", String.join(", ", earlier.stream()
                            .map(c -> c.getNotAfter().toInstant().toString()).toList()), name, dir, name);
        }
        w.flush();
        return ExitCode.OK;
    }
}
