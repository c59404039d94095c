package io.orch.trust;

import io.orch.protocol.Limits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Certificates whose chain an operator's CLI has already checked, kept between runs in the CLI's
 * state folder: a change window runs orch again and again against the same fleet, and checking a
 * thousand chains each time is what a run with security on would otherwise pay. An entry counts only
 * for the CA bundle and CRLs it was checked against (any change to them starts afresh), for at most
 * {@link #KEPT}, and within the certificate's own dates; the signature of every message is still
 * checked every time. A file that others could have written is not read.
 */
public final class KnownCertificates {
    /** How long a chain check counts. */
    public static final Duration KEPT = Limits.KNOWN_CERTIFICATE_KEPT;

    /** One checked certificate: what a message needs to be verified without its chain being checked again. */
    record Known(String name, String keyAlgorithm, byte[] publicKey, Instant notBefore, Instant notAfter,
                 Instant checkedAt) {
    }

    private final Path file;
    private final String trust;
    private final Map<String, Known> entries = new LinkedHashMap<>();
    private boolean changed;

    private KnownCertificates(Path file, String trust) {
        this.file = file;
        this.trust = trust;
    }

    /** Reads {@code file} when it is this user's alone and was written for the same CA and CRLs. */
    public static KnownCertificates open(Path file, SiteCa ca, Instant now) {
        KnownCertificates known = new KnownCertificates(file, ca.fingerprint());
        try {
            if (!Files.isRegularFile(file)) {
                return known;
            }
            KeyFiles.checkPrivate(file);
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).equals("orch-known-certificates v1 " + known.trust)) {
                return known; // another CA or CRL: nothing in it counts
            }
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(" ", 7);
                if (f.length == 7) {
                    Known k = new Known(f[6], f[4], Base64.getDecoder().decode(f[5]),
                            Instant.ofEpochSecond(Long.parseLong(f[2])), Instant.ofEpochSecond(Long.parseLong(f[3])),
                            Instant.ofEpochSecond(Long.parseLong(f[1])));
                    if (k.checkedAt().plus(KEPT).isAfter(now) && !k.checkedAt().isAfter(now)) {
                        known.entries.put(f[0], k);
                    }
                }
            }
        } catch (IOException | TrustException | RuntimeException e) {
            known.entries.clear(); // unreadable or not private: start afresh, checking every chain
        }
        return known;
    }

    synchronized Optional<Known> get(String pem, Instant now) {
        Known k = entries.get(hash(pem));
        return k != null && k.checkedAt().plus(KEPT).isAfter(now) ? Optional.of(k) : Optional.empty();
    }

    synchronized void put(String pem, Known known) {
        entries.remove(hash(pem));
        entries.put(hash(pem), known);
        while (entries.size() > Limits.MAX_KNOWN_CERTIFICATES) {
            entries.remove(entries.keySet().iterator().next());
        }
        changed = true;
    }

    /** Writes what was learned, readable by this user only; a failure only costs the next run time. */
    public synchronized void save() {
        if (!changed) {
            return;
        }
        StringBuilder text = new StringBuilder("orch-known-certificates v1 ").append(trust).append('\n');
        entries.forEach((hash, k) -> text.append(hash).append(' ').append(k.checkedAt().getEpochSecond()).append(' ')
                .append(k.notBefore().getEpochSecond()).append(' ').append(k.notAfter().getEpochSecond()).append(' ')
                .append(k.keyAlgorithm()).append(' ').append(Base64.getEncoder().encodeToString(k.publicKey()))
                .append(' ').append(k.name()).append('\n'));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            try {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            changed = false;
        } catch (IOException e) {
            // the next run checks the chains again
        }
    }

    private static String hash(String pem) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(pem.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
