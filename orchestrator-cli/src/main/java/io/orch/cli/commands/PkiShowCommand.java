package io.orch.cli.commands;

import io.orch.cli.ExitCode;
import io.orch.cli.UsageException;
import io.orch.cli.pki.CertificateText;
import io.orch.trust.Pem;
import io.orch.trust.TrustException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Print what a certificate or CRL file holds: identity (the common name), issuer, validity, "
                + "key type, subject alternative names, serial.",
            "Works on any CA's files: orch pki's, openssl's, Puppet's."})
final class PkiShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "PEM files of certificates or CRLs.")
    List<Path> files;

    @Override
    public Integer call() {
        Instant now = Instant.now();
        List<String> blocks = new ArrayList<>();
        for (Path file : files) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.US_ASCII);
            } catch (NoSuchFileException e) {
                throw new UsageException(file + ": no such file");
            } catch (IOException e) {
                throw new UsageException(file + ": cannot read it: " + e.getMessage());
            }
            boolean certs = text.contains("-----BEGIN CERTIFICATE-----");
            boolean crls = text.contains("-----BEGIN X509 CRL-----");
            if (!certs && !crls) {
                throw new UsageException(file + ": no certificate or CRL in it" + (text.contains("PRIVATE KEY-----")
                        ? " (it holds a private key; orch pki show prints certificates and CRLs)" : ""));
            }
            try {
                if (certs) {
                    List<X509Certificate> list = Pem.certificates(file);
                    for (int i = 0; i < list.size(); i++) {
                        String head = list.size() == 1 ? "certificate in " + file
                                : "certificate " + (i + 1) + " of " + list.size() + " in " + file;
                        blocks.add(head + ":\n  " + String.join("\n  ", CertificateText.describe(list.get(i), now)));
                    }
                }
                if (crls) {
                    List<X509CRL> list = Pem.crls(file);
                    for (int i = 0; i < list.size(); i++) {
                        String head = list.size() == 1 ? "CRL in " + file
                                : "CRL " + (i + 1) + " of " + list.size() + " in " + file;
                        blocks.add(head + ":\n  " + String.join("\n  ", CertificateText.describe(list.get(i), now)));
                    }
                }
            } catch (TrustException e) {
                throw new UsageException(e.getMessage());
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(String.join("\n\n", blocks));
        out.flush();
        return ExitCode.OK;
    }
}
