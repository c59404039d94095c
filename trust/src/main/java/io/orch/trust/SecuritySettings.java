package io.orch.trust;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.nio.file.Path;

/**
 * Where a node's or an operator's identity lives, as its config file says. Either a Puppet-style
 * ssl directory ({@code ssl_dir} + {@code certname}: {@code certs/<certname>.pem},
 * {@code private_keys/<certname>.pem}, {@code certs/ca.pem}, {@code crl.pem}) or explicit files;
 * explicit files win over the directory. {@code security: insecure} turns verification off, and
 * says so loudly wherever it is in effect.
 *
 * @param insecure whether nothing is signed or verified
 * @param sslDir   a Puppet-style ssl directory
 * @param certname the name of this identity's files in {@code sslDir}; the node's identity by default
 * @param ca       the CA bundle: roots and intermediates
 * @param crl      the CRL file; without it (and with no {@code crl.pem} in {@code sslDir}) nothing is checked for revocation
 * @param cert     this identity's certificate
 * @param key      this identity's private key (owner-only)
 */
public record SecuritySettings(Boolean insecure, String sslDir, String certname, String ca, String crl, String cert,
                               String key) {
    public static final String PUPPET_SSL_DIR = "/etc/puppetlabs/puppet/ssl";

    /** The resolved file paths; {@code crl} is null when no CRL is used. */
    public record Locations(Path ca, Path crl, Path cert, Path key, String certname) {
    }

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public SecuritySettings {
        insecure = insecure != null && insecure;
        sslDir = blankToNull(sslDir);
        certname = blankToNull(certname);
        ca = blankToNull(ca);
        crl = blankToNull(crl);
        cert = blankToNull(cert);
        key = blankToNull(key);
    }

    /** {@code security: insecure} in a config file. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static SecuritySettings fromText(String text) {
        if (!"insecure".equals(text == null ? null : text.trim())) {
            throw new IllegalArgumentException("security must be 'insecure' or a map (ssl_dir, certname, ca, crl, "
                    + "cert, key), not '" + text + "'");
        }
        return insecureMode();
    }

    public static SecuritySettings insecureMode() {
        return new SecuritySettings(true, null, null, null, null, null, null);
    }

    /** Puppet's files for {@code certname} under {@code sslDir}. */
    public static SecuritySettings puppet(Path sslDir, String certname) {
        return new SecuritySettings(false, sslDir.toString(), certname, null, null, null, null);
    }

    /** Explicit files. */
    public static SecuritySettings files(Path ca, Path crl, Path cert, Path key) {
        return new SecuritySettings(false, null, null, ca.toString(), crl == null ? null : crl.toString(),
                cert.toString(), key.toString());
    }

    public boolean isInsecure() {
        return insecure;
    }

    /**
     * The files to read.
     *
     * @param defaultSslDir   the ssl directory when none is configured
     * @param defaultCertname the certname when none is configured (the node's identity, the operator's user name)
     */
    public Locations resolve(Path defaultSslDir, String defaultCertname) {
        if (insecure) {
            throw new IllegalStateException("insecure: there are no files to read");
        }
        Path dir = sslDir != null ? Path.of(sslDir) : defaultSslDir;
        String name = certname != null ? certname : defaultCertname;
        Path caFile = ca != null ? Path.of(ca) : dir.resolve("certs").resolve("ca.pem");
        Path certFile = cert != null ? Path.of(cert) : dir.resolve("certs").resolve(name + ".pem");
        Path keyFile = key != null ? Path.of(key) : dir.resolve("private_keys").resolve(name + ".pem");
        Path crlFile;
        if (crl != null) {
            crlFile = Path.of(crl);
        } else if (ca == null) {
            // The CA comes from the ssl folder, and so does its CRL.
            Path candidate = dir.resolve("crl.pem");
            crlFile = java.nio.file.Files.exists(candidate) ? candidate : null;
        } else {
            crlFile = null; // an explicit CA file: another folder's crl.pem may well be another CA's
        }
        return new Locations(caFile, crlFile, certFile, keyFile, name);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
