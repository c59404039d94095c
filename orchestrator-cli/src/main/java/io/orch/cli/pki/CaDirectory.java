package io.orch.cli.pki;

import io.orch.cli.UsageException;
import io.orch.protocol.bus.Destinations;
import io.orch.trust.LocalCa;
import io.orch.trust.LocalCa.Issued;
import io.orch.trust.LocalCa.KeyType;
import io.orch.trust.Pem;
import io.orch.trust.TrustException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.bouncycastle.util.IPAddress;

/**
 * A CA kept in one directory:
 * <ul>
 *   <li>{@code ca.pem}: the CA certificate, which every node and operator trusts;</li>
 *   <li>{@code ca_key.pem}: its private key, readable by its owner only;</li>
 *   <li>{@code crl.pem}: its certificate revocation list;</li>
 *   <li>{@code issued/<name>.pem}: the certificates issued to {@code <name>} and not revoked (newest first);</li>
 *   <li>{@code revoked/<name>.pem}: those revoked.</li>
 * </ul>
 * A CA made with the openssl commands of {@code docs/pki.md} has the same three files, so this class
 * issues from it too. Every refusal is a {@link UsageException} that says what to do.
 */
public final class CaDirectory {
    public static final String CA_CERT = "ca.pem";
    public static final String CA_KEY = "ca_key.pem";
    public static final String CRL = "crl.pem";
    public static final String ISSUED = "issued";
    public static final String REVOKED = "revoked";

    /** Host names (a leading {@code *.} allowed) for subject alternative names; IP addresses are checked apart. */
    private static final Pattern DNS_NAME = Pattern.compile(
            "(\\*\\.)?[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*\\.?");

    private final Path dir;

    private CaDirectory(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir == null");
    }

    public static CaDirectory at(Path dir) {
        return new CaDirectory(dir);
    }

    public Path dir() {
        return dir;
    }

    public Path caCertificate() {
        return dir.resolve(CA_CERT);
    }

    public Path caKey() {
        return dir.resolve(CA_KEY);
    }

    public Path crl() {
        return dir.resolve(CRL);
    }

    public Path issued(String name) {
        return dir.resolve(ISSUED).resolve(name + ".pem");
    }

    public Path revoked(String name) {
        return dir.resolve(REVOKED).resolve(name + ".pem");
    }

    /** A certificate just issued and where it was written. */
    public record Issue(Issued issued, SslDir files, List<X509Certificate> stillValid) {
    }

    /** A Puppet-style ssl directory: what orch reads for {@code certname}. */
    public record SslDir(Path dir, String certname) {
        public Path certificate() {
            return dir.resolve("certs").resolve(certname + ".pem");
        }

        public Path key() {
            return dir.resolve("private_keys").resolve(certname + ".pem");
        }

        public Path ca() {
            return dir.resolve("certs").resolve("ca.pem");
        }

        public Path crl() {
            return dir.resolve("crl.pem");
        }
    }

    /** The certificates just revoked and the CRL that now lists them. */
    public record Revocation(List<X509Certificate> revoked, X509CRL crl) {
    }

    /**
     * Makes a new CA here: its certificate, its key (owner-only), an empty CRL and the {@code issued}
     * index. The directory is created owner-only when it does not exist. Never overwrites a CA.
     */
    public LocalCa init(String name, KeyType type, Duration validity) {
        if (name == null || name.isBlank()) {
            throw new UsageException("the CA needs a name (--name)");
        }
        for (Path existing : List.of(caCertificate(), caKey())) {
            if (Files.exists(existing)) {
                throw new UsageException(dir + " already holds a CA (" + existing + "); orch pki init never "
                        + "overwrites one", "Use another --dir. To start over, remove " + dir + " yourself: every "
                        + "certificate its CA issued stops being trusted.");
            }
        }
        createOwnerOnly(dir);
        try {
            LocalCa ca = LocalCa.create(name, type, validity);
            createNew(caKey());
            LocalCa.writePrivateKey(caKey(), ca.ca().keys().getPrivate());
            LocalCa.writePem(caCertificate(), ca.certificate());
            LocalCa.writePem(crl(), ca.crl());
            Files.createDirectories(dir.resolve(ISSUED));
            return ca;
        } catch (TrustException e) {
            throw new UsageException(e.getMessage());
        } catch (IOException e) {
            throw new UsageException("cannot write in " + dir + ": " + e.getMessage());
        }
    }

    /** The CA kept here. */
    public LocalCa load() {
        if (!Files.exists(caCertificate())) {
            throw new UsageException(dir + " holds no CA (no " + CA_CERT + "); make one with orch pki init --dir "
                    + dir);
        }
        try {
            return LocalCa.load(caCertificate(), caKey());
        } catch (TrustException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * Issues {@code name}'s certificate and writes it with its key, the CA certificate and the CRL to
     * {@code sslDir} in the Puppet layout.
     *
     * @param dnsNames host names and IP addresses for the subject alternative names (a broker's)
     * @param force    overwrite {@code name}'s key and certificate in {@code sslDir}, and issue even when
     *                 {@code name} holds a valid certificate already (that one stays valid)
     */
    public Issue issue(String name, KeyType type, Duration validity, List<String> dnsNames, Path sslDir,
                       boolean force, Instant now) {
        checkName(name);
        for (String dns : dnsNames) {
            if (!IPAddress.isValid(dns) && !DNS_NAME.matcher(dns).matches()) {
                throw new UsageException("--dns '" + dns + "' is neither a host name nor an IP address");
            }
        }
        LocalCa ca = load();
        Instant caExpires = ca.certificate().getNotAfter().toInstant();
        if (now.plus(validity).isAfter(caExpires)) {
            throw new UsageException("--days " + validity.toDays() + " runs past the CA's own expiry (" + caExpires
                    + "); at most " + Duration.between(now, caExpires).toDays() + " days");
        }
        SslDir out = new SslDir(sslDir, name);
        if (!force) {
            for (Path existing : List.of(out.key(), out.certificate())) {
                if (Files.exists(existing)) {
                    throw new UsageException(existing + " already exists; orch pki issue overwrites a key or "
                            + "certificate only with --force");
                }
            }
        }
        checkSameCa(ca, out.ca());
        List<X509Certificate> earlier = stillValid(issued(name), now);
        if (!earlier.isEmpty() && !force) {
            X509Certificate last = earlier.get(0);
            throw new UsageException(name + " already has a certificate from this CA (serial "
                    + CertificateText.serial(last) + ", valid until " + last.getNotAfter().toInstant() + ", in "
                    + issued(name) + ")", "--force issues another; the earlier one stays valid until it expires or "
                    + "orch pki revoke " + name + " --dir " + dir + " revokes all of " + name + "'s.");
        }
        try {
            List<X509Certificate> bundle = Pem.certificates(caCertificate());
            List<X509CRL> crls = Files.exists(crl()) ? Pem.crls(crl()) : List.of();
            if (crls.isEmpty()) {
                crls = List.of(ca.crl());
                LocalCa.writePem(crl(), crls.toArray());
            }
            Issued issued = ca.issue(name, type, validity, dnsNames.toArray(String[]::new));
            ca.writeLayout(sslDir, issued, bundle.subList(1, bundle.size()), crls.get(0));
            LocalCa.writePem(out.crl(), crls.toArray()); // all of them, as the CA keeps them
            List<Object> index = new ArrayList<>();
            index.add(issued.certificate());
            index.addAll(earlier);
            LocalCa.writePem(issued(name), index.toArray());
            return new Issue(issued, out, earlier);
        } catch (TrustException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * Revokes every certificate issued to {@code name} and not revoked yet: the CRL is re-signed with
     * them added (keeping what it listed before), and {@code issued/<name>.pem} moves to {@code revoked/}.
     */
    public Revocation revoke(String name) {
        checkName(name);
        LocalCa ca = load();
        Path file = issued(name);
        if (!Files.exists(file)) {
            throw new UsageException("no certificate issued to " + name + " in " + dir.resolve(ISSUED)
                    + (Files.exists(revoked(name)) ? " (revoked already: " + revoked(name) + ")" : ""));
        }
        try {
            List<X509Certificate> certs = Pem.certificates(file);
            // crl.pem may hold the CRLs of CAs above this one too: only this CA's is signed anew.
            List<X509CRL> crls = new ArrayList<>(Files.exists(crl()) ? Pem.crls(crl()) : List.of());
            int mine = -1;
            for (int i = 0; i < crls.size() && mine < 0; i++) {
                if (crls.get(i).getIssuerX500Principal().equals(ca.certificate().getSubjectX500Principal())) {
                    mine = i;
                }
            }
            X509CRL crl = ca.crl(mine < 0 ? null : crls.get(mine), certs.toArray(X509Certificate[]::new));
            if (mine < 0) {
                crls.add(0, crl);
            } else {
                crls.set(mine, crl);
            }
            LocalCa.writePem(crl(), crls.toArray());
            List<Object> revoked = new ArrayList<>(certs);
            if (Files.exists(revoked(name))) {
                revoked.addAll(Pem.certificates(revoked(name)));
            }
            LocalCa.writePem(revoked(name), revoked.toArray());
            Files.delete(file);
            return new Revocation(certs, crl);
        } catch (TrustException e) {
            throw new UsageException(e.getMessage());
        } catch (IOException e) {
            throw new UsageException("cannot remove " + file + ": " + e.getMessage());
        }
    }

    private static void checkName(String name) {
        String problem = Destinations.identityProblem(name);
        if (problem != null) {
            throw new UsageException(problem + "; a certificate's common name is the identity orch knows it by");
        }
    }

    /** Refuses to write into an ssl directory that trusts another CA (Puppet's, say): its ca.pem is not ours to replace. */
    private static void checkSameCa(LocalCa ca, Path caFile) {
        if (!Files.exists(caFile)) {
            return;
        }
        List<X509Certificate> there;
        try {
            there = Pem.certificates(caFile);
        } catch (TrustException e) {
            throw new UsageException(caFile + " is there but unreadable (" + e.getMessage() + "); orch pki issue "
                    + "will not replace it: choose another --out");
        }
        if (!there.get(0).equals(ca.certificate())) {
            throw new UsageException(caFile + " holds another CA ('" + there.get(0).getSubjectX500Principal()
                    .getName() + "'): this ssl directory belongs to another PKI (Puppet's?); choose another --out");
        }
    }

    /** The certificates in {@code file} that have not expired by {@code now}, newest first as the file has them. */
    private static List<X509Certificate> stillValid(Path file, Instant now) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return Pem.certificates(file).stream().filter(c -> c.getNotAfter().toInstant().isAfter(now)).toList();
        } catch (TrustException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static void createOwnerOnly(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Path parent = dir.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                } catch (UnsupportedOperationException e) {
                    Files.createDirectory(dir);
                }
            }
        } catch (IOException e) {
            throw new UsageException("cannot create " + dir + ": " + e.getMessage());
        }
    }

    /** Claims {@code file} so that two orch pki init at once cannot both make a CA here. */
    private static void createNew(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new UsageException(file.getParent() + " already holds a CA (" + file + "); orch pki init never "
                    + "overwrites one");
        }
    }
}
