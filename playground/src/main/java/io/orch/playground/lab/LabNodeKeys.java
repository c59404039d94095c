package io.orch.playground.lab;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab nodes' certificates and keys, kept in the lab's PKI folder between runs as the CA is: making
 * an Ed25519 key and having the CA sign its certificate was a third of a 10,000-node lab's start. Each
 * node still has its own key and certificate, and each is checked at boot against the lab's CA
 * ({@code Credentials.issuedBy}: the CA's signature, names, validity, the key matching the certificate),
 * so a stale or foreign entry is never used: the lab issues that node a new one.
 *
 * <p>One line a node, {@code identity base64(certificate DER) base64(PKCS#8 key)}, in a file readable by
 * its owner only, like {@code ca_key.pem} beside it; nothing in it is worth anything outside the lab.
 */
final class LabNodeKeys {
    private static final Logger log = LoggerFactory.getLogger(LabNodeKeys.class);
    static final String FILE_NAME = "lab-node-keys.txt";
    /** A certificate that ends sooner than this is issued again rather than used. */
    private static final java.time.Duration MIN_LEFT = java.time.Duration.ofDays(1);

    /** A node's certificate and its key. */
    record Entry(X509Certificate certificate, PrivateKey key) {
    }

    private final Path file;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private volatile boolean changed;

    private LabNodeKeys(Path file) {
        this.file = file;
    }

    /** The kept keys in {@code dir}; none when there is no file or it cannot be read (then all are made anew). */
    static LabNodeKeys load(Path dir) {
        LabNodeKeys keys = new LabNodeKeys(dir.resolve(FILE_NAME));
        if (!Files.isRegularFile(keys.file)) {
            return keys;
        }
        try {
            CertificateFactory certificates = CertificateFactory.getInstance("X.509");
            KeyFactory ed25519 = KeyFactory.getInstance("Ed25519");
            Base64.Decoder base64 = Base64.getDecoder();
            for (String line : Files.readAllLines(keys.file, StandardCharsets.US_ASCII)) {
                String[] parts = line.split(" ");
                if (parts.length != 3) {
                    continue;
                }
                X509Certificate certificate = (X509Certificate) certificates.generateCertificate(
                        new ByteArrayInputStream(base64.decode(parts[1])));
                PrivateKey key = ed25519.generatePrivate(new PKCS8EncodedKeySpec(base64.decode(parts[2])));
                keys.entries.put(parts[0], new Entry(certificate, key));
            }
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            log.warn("lab node keys {} unreadable ({}); issuing every node a new key", keys.file, e.toString());
            keys.entries.clear();
        }
        return keys;
    }

    /** The kept entry for {@code identity} while it is valid for a day more, else null. */
    Entry get(String identity, Instant now) {
        Entry entry = entries.get(identity);
        if (entry == null || !entry.certificate().getNotAfter().toInstant().isAfter(now.plus(MIN_LEFT))) {
            return null;
        }
        return entry;
    }

    void put(String identity, Entry entry) {
        entries.put(identity, entry);
        changed = true;
    }

    /** Writes the file again if a node was issued a key since it was read: to a new file, renamed over the old. */
    synchronized void save() throws IOException {
        if (!changed) {
            return;
        }
        Base64.Encoder base64 = Base64.getEncoder();
        StringBuilder text = new StringBuilder(entries.size() * 700);
        try {
            for (Map.Entry<String, Entry> e : new TreeMap<>(entries).entrySet()) {
                text.append(e.getKey()).append(' ')
                        .append(base64.encodeToString(e.getValue().certificate().getEncoded())).append(' ')
                        .append(base64.encodeToString(e.getValue().key().getEncoded())).append('\n');
            }
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IOException("cannot encode a lab node's certificate: " + e.getMessage(), e);
        }
        Path tmp = file.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? Files.createTempFile(file.getParent(), "." + FILE_NAME, ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(file.getParent(), "." + FILE_NAME, ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        changed = false;
    }

    int size() {
        return entries.size();
    }

    List<String> identities() {
        return List.copyOf(new TreeMap<>(entries).keySet());
    }
}
