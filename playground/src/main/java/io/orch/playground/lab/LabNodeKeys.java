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
    /** The file's lines by identity, as read; decoded on first use. */
    private final Map<String, String> lines = new ConcurrentHashMap<>();
    /** Entries decoded from {@link #lines} or issued in this run. */
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private volatile boolean changed;
    private final java.util.concurrent.atomic.AtomicBoolean undecodable = new java.util.concurrent.atomic.AtomicBoolean();

    private LabNodeKeys(Path file) {
        this.file = file;
    }

    /**
     * The kept keys in {@code dir}; none when there is no file or it cannot be read (then all are made anew).
     * Only the lines are read here: each entry is decoded by the builder that boots its node ({@link #get}),
     * so 10,000 certificates are not parsed one after another before the first node starts.
     */
    static LabNodeKeys load(Path dir) {
        LabNodeKeys keys = new LabNodeKeys(dir.resolve(FILE_NAME));
        if (!Files.isRegularFile(keys.file)) {
            return keys;
        }
        try {
            for (String line : Files.readAllLines(keys.file, StandardCharsets.US_ASCII)) {
                String[] parts = line.split(" ");
                if (parts.length == 3) {
                    keys.lines.put(parts[0], line);
                }
            }
        } catch (IOException e) {
            log.warn("lab node keys {} unreadable ({}); issuing every node a new key", keys.file, e.toString());
            keys.lines.clear();
        }
        return keys;
    }

    /** The kept entry for {@code identity} while it is valid for a day more, else null (also when unreadable). */
    Entry get(String identity, Instant now) {
        Entry entry = entries.get(identity);
        if (entry == null) {
            String line = lines.get(identity);
            if (line == null) {
                return null;
            }
            entry = decode(line);
            if (entry == null) {
                return null;
            }
            if (entries.putIfAbsent(identity, entry) == null) {
                lines.remove(identity); // decoded now: keep one copy, not two (save() reads entries first)
            }
        }
        if (!entry.certificate().getNotAfter().toInstant().isAfter(now.plus(MIN_LEFT))) {
            return null;
        }
        return entry;
    }

    /** One line's certificate and key, or null (with a warning) when it does not decode. */
    private Entry decode(String line) {
        String[] parts = line.split(" ");
        try {
            Base64.Decoder base64 = Base64.getDecoder();
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(base64.decode(parts[1])));
            PrivateKey key = KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new PKCS8EncodedKeySpec(base64.decode(parts[2])));
            return new Entry(certificate, key);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // One warning for the file, not one per node of a file that is garbage throughout.
            if (undecodable.compareAndSet(false, true)) {
                log.warn("lab node keys {}: the entry of {} does not decode ({}); issuing it (and any other such) a "
                        + "new key", file, parts[0], e.toString());
            } else {
                log.debug("lab node keys {}: the entry of {} does not decode ({})", file, parts[0], e.toString());
            }
            return null;
        }
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
        StringBuilder text = new StringBuilder(size() * 700);
        try {
            for (String identity : identities()) {
                Entry entry = entries.get(identity);
                String line = entry == null ? lines.get(identity) : null;
                if (line != null) {
                    text.append(line).append('\n'); // kept, never decoded: as it was
                    continue;
                }
                if (entry == null) {
                    entry = entries.get(identity); // decoded just now, its line dropped
                }
                if (entry == null) {
                    continue;
                }
                text.append(identity).append(' ')
                        .append(base64.encodeToString(entry.certificate().getEncoded())).append(' ')
                        .append(base64.encodeToString(entry.key().getEncoded())).append('\n');
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
        return identities().size();
    }

    List<String> identities() {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(lines.keySet());
        all.addAll(entries.keySet());
        return List.copyOf(all);
    }
}
