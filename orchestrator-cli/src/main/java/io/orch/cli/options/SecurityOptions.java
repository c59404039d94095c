package io.orch.cli.options;

import io.orch.cli.UsageException;
import io.orch.cli.client.ClientSecurity;
import io.orch.trust.Credentials;
import io.orch.trust.SecuritySettings;
import io.orch.trust.TrustException;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Option;

/**
 * Who the operator is: a certificate and key from the site's CA, as a Puppet-style ssl folder or
 * as files. Requests are signed with it, and answers are believed only when signed by the node
 * they speak for. {@code --security insecure} turns both off, for fleets that run without.
 */
public final class SecurityOptions {
    @Option(names = "--security", paramLabel = "MODE", defaultValue = "verified",
            description = "verified (sign requests, believe only signed answers) or insecure "
                    + "(config: security, env ORCH_SECURITY; default: ${DEFAULT-VALUE}).")
    String security;

    @Option(names = "--ssl-dir", paramLabel = "DIR", defaultValue = "~/.orch/ssl",
            description = "Puppet-style ssl folder: certs/<certname>.pem, private_keys/<certname>.pem, certs/ca.pem, "
                    + "crl.pem (config: ssl_dir, env ORCH_SSL_DIR; default: ${DEFAULT-VALUE}).")
    String sslDir;

    @Option(names = "--certname", paramLabel = "NAME",
            description = "Your certificate's name in the ssl folder (config: certname, env ORCH_CERTNAME; "
                    + "default: your login name).")
    String certname;

    @Option(names = "--ca", paramLabel = "FILE", description = "CA bundle (config: ca; default: <ssl-dir>/certs/ca.pem).")
    String ca;

    @Option(names = "--crl", paramLabel = "FILE", description = "CRL file (config: crl; default: <ssl-dir>/crl.pem if there).")
    String crl;

    @Option(names = "--cert", paramLabel = "FILE",
            description = "Your certificate (config: cert; default: <ssl-dir>/certs/<certname>.pem).")
    String cert;

    @Option(names = "--key", paramLabel = "FILE",
            description = "Your private key, readable by you only (config: key; default: "
                    + "<ssl-dir>/private_keys/<certname>.pem).")
    String key;

    /** Whether the mode asked for is {@code insecure} (nothing signed or verified, no TLS material). */
    public boolean insecure() {
        return "insecure".equals(security);
    }

    /**
     * Reads and checks the operator's key material.
     *
     * @throws UsageException naming the file and what to do (exit code 2)
     */
    public ClientSecurity load(Clock clock) {
        return load(clock, null);
    }

    /** @param stateDir the CLI's state folder, where checked certificate chains are kept between runs; null: none */
    public ClientSecurity load(Clock clock, Path stateDir) {
        if ("insecure".equals(security)) {
            return ClientSecurity.insecure(clock);
        }
        if (!"verified".equals(security)) {
            throw new UsageException("--security: '" + security + "' is not a security mode; use verified or insecure");
        }
        SecuritySettings settings = new SecuritySettings(false, expand(sslDir), certname, expand(ca), expand(crl),
                expand(cert), expand(key));
        SecuritySettings.Locations files = settings.resolve(Path.of(expand("~/.orch/ssl")),
                System.getProperty("user.name", "operator"));
        try {
            Credentials credentials = Credentials.load(files, clock.instant());
            return stateDir == null ? ClientSecurity.of(credentials, clock)
                    : ClientSecurity.of(credentials, clock, stateDir.resolve("known-certificates"));
        } catch (TrustException e) {
            throw new UsageException("cannot sign requests as '" + files.certname() + "': " + e.getMessage(),
                    "orch: give your certificate with --ssl-dir/--certname or --cert/--key/--ca (or ssl_dir, "
                            + "certname in ~/.config/orch/client.yaml); 'orch pki' makes one for sites without a CA");
        }
    }

    private static String expand(String path) {
        if (path == null) {
            return null;
        }
        if (path.equals("~") || path.startsWith("~/")) {
            return System.getProperty("user.home") + path.substring(1);
        }
        return path;
    }
}
