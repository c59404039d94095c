package io.orch.cli.commands;

import io.orch.cli.ExitCode;
import io.orch.cli.UsageException;
import io.orch.cli.pki.CaDirectory;
import io.orch.cli.pki.CertificateText;
import io.orch.trust.LocalCa;
import io.orch.trust.LocalCa.KeyType;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Make a CA in DIR: ca.pem (its certificate), ca_key.pem (its key, owner-only), crl.pem "
                + "(empty) and issued/ (what it issues, by name).",
            "Never overwrites a CA. Keep DIR on one trusted machine, off the fleet."})
final class PkiInitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Where to keep the CA.")
    Path dir;

    @Option(names = "--name", defaultValue = "orch CA", paramLabel = "NAME",
            description = "The CA's common name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--key-type", defaultValue = "ec", paramLabel = "TYPE", converter = PkiCommand.KeyTypes.class,
            completionCandidates = PkiCommand.KeyTypes.class,
            description = "ec (P-256) or ed25519 (default: ${DEFAULT-VALUE}).")
    KeyType keyType;

    @Option(names = "--days", defaultValue = "3650", paramLabel = "N",
            description = "How long the CA is valid, in days (default: ${DEFAULT-VALUE}).")
    int days;

    @Override
    public Integer call() {
        if (days < 1) {
            throw new UsageException("--days must be at least 1, not " + days);
        }
        CaDirectory ca = CaDirectory.at(dir);
        LocalCa made = ca.init(name, keyType, Duration.ofDays(days));
        PrintWriter out = spec.commandLine().getOut();
        out.printf("CA '%s' (%s) made in %s, valid until %s:%n", made.ca().name(),
                CertificateText.keyType(made.certificate().getPublicKey()), dir,
                made.certificate().getNotAfter().toInstant());
        out.printf("  %-40s its certificate: every node, operator and the broker trust it%n", ca.caCertificate());
        out.printf("  %-40s its private key (owner-only): keep it here, off the fleet%n", ca.caKey());
        out.printf("  %-40s its revocation list (empty)%n", ca.crl());
        out.printf("Next: orch pki issue NAME --dir %s --out SSL_DIR%n", dir);
        out.flush();
        return ExitCode.OK;
    }
}
