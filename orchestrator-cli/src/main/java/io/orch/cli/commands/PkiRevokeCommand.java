package io.orch.cli.commands;

import io.orch.cli.ExitCode;
import io.orch.cli.pki.CaDirectory;
import io.orch.cli.pki.CertificateText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = {"Revoke every certificate issued to NAME: the CA's crl.pem is signed anew with them added.",
            "Then copy crl.pem to every node and operator (<ssl_dir>/crl.pem): until then they still trust NAME."})
final class PkiRevokeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The identity whose certificates to revoke.")
    String name;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The CA's directory (orch pki init).")
    Path dir;

    @Override
    public Integer call() {
        CaDirectory ca = CaDirectory.at(dir);
        CaDirectory.Revocation revocation = ca.revoke(name);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Revoked %s: %s%n", name, String.join(", ", revocation.revoked().stream()
                .map(c -> "serial " + CertificateText.serial(c) + " (until " + c.getNotAfter().toInstant() + ")")
                .toList()));
        int listed = revocation.crl().getRevokedCertificates() == null ? 0
                : revocation.crl().getRevokedCertificates().size();
        out.printf("%s now lists %d revoked certificate%s.%n", ca.crl(), listed, listed == 1 ? "" : "s");
        out.printf("Copy it to every node and operator as <ssl_dir>/crl.pem, and to the broker if it checks one: "
                + "until then they still trust %s.%n", name);
        out.flush();
        return ExitCode.OK;
    }
}
