package io.orch.responder.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy a responder holds: {@link #current()} follows the policy file as it changes.
 * <ul>
 * <li>No file: {@link Policy#defaults()}.</li>
 * <li>A valid file: its policy, read again when it changes.</li>
 * <li>A file that exists but cannot be read or is invalid: it <b>fails closed</b>, with a policy that
 *     allows only ping, discover and status and denies everything else with
 *     {@code policy file <path> is invalid: <why>; fix it (the last change was not applied)}. The
 *     error is logged once per change of the file.</li>
 * </ul>
 * The file is looked at (one stat) at most once per second of the clock; it is read again only when
 * its identity (inode), size or modification time changed, and parsed again only when its content
 * (SHA-256) did. Thread-safe.
 */
public final class PolicySource {

    private static final Logger LOG = LoggerFactory.getLogger(PolicySource.class);
    private static final Duration CHECK_EVERY = Duration.ofSeconds(1);

    private final Path file;
    private final Clock clock;
    private final boolean fixed;
    private final Consumer<String> errors;
    private final Consumer<String> infos;

    private Policy policy;
    /** When the file was last looked at; null: look at the next call. */
    private Instant checked;
    /** What the file looked like when last read successfully; null: read it at the next look. */
    private Stamp stamp;
    /** SHA-256 of the content last parsed; null: none. */
    private byte[] hash;
    /** The reason of the fail-closed policy in force, null when none: the same failure is logged once. */
    private String failure;

    private record Stamp(Object key, long size, FileTime modified) {
    }

    public PolicySource(Path file, Clock clock) {
        this(file, clock, LOG::error, LOG::info);
    }

    /** With the log lines going to {@code errors} and {@code infos}, for tests. */
    PolicySource(Path file, Clock clock, Consumer<String> errors, Consumer<String> infos) {
        this.file = Objects.requireNonNull(file, "file == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.errors = Objects.requireNonNull(errors, "errors == null");
        this.infos = Objects.requireNonNull(infos, "infos == null");
        this.fixed = false;
    }

    private PolicySource(Policy policy) {
        this.file = null;
        this.clock = null;
        this.errors = null;
        this.infos = null;
        this.fixed = true;
        this.policy = Objects.requireNonNull(policy, "policy == null");
    }

    /** Always {@code policy}, never a file; for the lab and tests. */
    public static PolicySource fixed(Policy policy) {
        return new PolicySource(policy);
    }

    /** The policy in force now; looks at the file at most once per second of the clock. */
    public synchronized Policy current() {
        if (fixed) {
            return policy;
        }
        Instant now = clock.instant();
        if (checked != null && !now.isBefore(checked) && now.isBefore(checked.plus(CHECK_EVERY))) {
            return policy;
        }
        checked = now;
        refresh();
        return policy;
    }

    /** The file this source follows; null for a {@link #fixed} one. */
    public Path file() {
        return file;
    }

    @Override
    public String toString() {
        return fixed ? "fixed " + policy : "policy source " + file;
    }

    private void refresh() {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            if (policy != Policy.defaults()) {
                infos.accept("no policy file " + file + ": using the defaults (any caller may ping, discover and "
                        + "ask status; nobody may reboot, force or cancel)");
            }
            stamp = null;
            hash = null;
            failure = null;
            policy = Policy.defaults();
            return;
        } catch (IOException e) {
            fail(null, "cannot look at it: " + e);
            return;
        }
        Stamp now = new Stamp(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime());
        if (now.equals(stamp)) {
            return;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            checked = null; // gone between the look and the read: look again at the next call
            if (policy == null) {
                policy = Policy.defaults();
            }
            return;
        } catch (IOException e) {
            fail(null, "cannot read it: " + e);
            return;
        }
        stamp = now;
        byte[] digest = sha256(bytes);
        if (Arrays.equals(digest, hash)) {
            return; // touched, or written again with the same content
        }
        hash = digest;
        try {
            policy = Policy.parse(file, bytes);
            failure = null;
            infos.accept("policy loaded: " + policy);
            for (String warning : policy.warnings()) {
                LOG.warn("{}", warning);
            }
        } catch (PolicyException e) {
            fail(digest, e.getMessage());
        }
    }

    /**
     * Fails closed. A new content is always logged; a failure to look at or read the file only when
     * its reason changed, as it is retried at every look.
     */
    private void fail(byte[] digest, String why) {
        String reason = "policy file " + file + " is invalid: " + why + "; fix it (the last change was not applied)";
        if (digest != null || !reason.equals(failure)) {
            errors.accept(reason + ". Until then only ping, discover and status are allowed.");
        }
        if (digest == null) {
            stamp = null;
            hash = null;
        }
        failure = reason;
        policy = Policy.failClosed(reason);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
