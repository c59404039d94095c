package io.orch.responder.audit;

import io.orch.responder.state.StateFolder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One audit file and its older generations, as logrotate keeps them: {@code NAME} is written,
 * {@code NAME.1} is the generation before, {@code NAME.2} the one before that. A generation is
 * deleted once the whole set passes its size, or once its last line is older than the age limit.
 * Every file is created owner-only in the node's {@link StateFolder}, never through a symlink.
 * Not thread-safe: {@link FileAuditLog} calls it under its lock.
 */
final class AuditFile {
    /** How often the age limit is checked when no rotation did it. */
    private static final Duration SWEEP_EVERY = Duration.ofHours(1);

    /**
     * @param fileMaxBytes  size at which the file becomes generation 1
     * @param totalMaxBytes all generations and the file together
     * @param maxAge        a generation whose last line is older than this is deleted
     */
    record Budget(long fileMaxBytes, long totalMaxBytes, Duration maxAge) {
        Budget {
            if (fileMaxBytes < 1 || totalMaxBytes < fileMaxBytes) {
                throw new IllegalArgumentException("audit budget needs 0 < file size <= total, got " + fileMaxBytes
                        + " and " + totalMaxBytes);
            }
            Objects.requireNonNull(maxAge, "maxAge == null");
        }
    }

    private final StateFolder folder;
    private final String name;
    private final Budget budget;
    private final Clock clock;
    private Instant lastSweep;

    AuditFile(StateFolder folder, String name, Budget budget, Clock clock) {
        this.folder = Objects.requireNonNull(folder, "folder == null");
        this.name = Objects.requireNonNull(name, "name == null");
        this.budget = Objects.requireNonNull(budget, "budget == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        folder.resolve(name); // a plain file name
    }

    Path path() {
        return folder.resolve(name);
    }

    /** Generation {@code n} (1 is the newest); 0 is the file itself. */
    Path generation(int n) {
        return folder.resolve(generationName(n));
    }

    private String generationName(int n) {
        return n == 0 ? name : name + "." + n;
    }

    /** Appends one whole line, moving the file aside first when the line would take it past its size. */
    void append(byte[] line) throws IOException {
        Instant now = clock.instant();
        long size = folder.size(name);
        if (size > 0 && size + line.length > budget.fileMaxBytes()) {
            rotate();
            sweep(now);
        } else if (lastSweep == null || !now.isBefore(lastSweep.plus(SWEEP_EVERY)) || now.isBefore(lastSweep)) {
            sweep(now);
        }
        // The one place the audit writes: owner-only, never through a symlink, through the folder's disk.
        try (FileChannel out = folder.append(name)) {
            folder.write(name, out, ByteBuffer.wrap(line));
        }
    }

    /** The file becomes generation 1; every generation moves one up. */
    private void rotate() throws IOException {
        int last = 0;
        while (folder.exists(generationName(last + 1))) {
            last++;
        }
        for (int n = last; n >= 0; n--) {
            folder.move(generationName(n), generationName(n + 1));
        }
    }

    /**
     * Deletes what passes the age limit or the total size, oldest first: from the first
     * generation that does, it and every older one. The file itself counts as full, so that the
     * set stays within the total however much it grows before the next rotation.
     */
    void sweep(Instant now) throws IOException {
        lastSweep = now;
        Instant oldest = now.minus(budget.maxAge());
        if (stale(generation(0), oldest)) {
            // Its newest line is past the limit, so every older generation is too.
            deleteFrom(0);
            return;
        }
        long total = budget.fileMaxBytes();
        for (int n = 1; folder.exists(generationName(n)); n++) {
            long size = folder.size(generationName(n));
            if (stale(generation(n), oldest) || total + size > budget.totalMaxBytes()) {
                deleteFrom(n);
                return;
            }
            total += size;
        }
    }

    private static boolean stale(Path path, Instant oldest) throws IOException {
        try {
            return Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(oldest);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** Deletes generation {@code first} and every older one. */
    private void deleteFrom(int first) throws IOException {
        for (int n = first; n == 0 || folder.exists(generationName(n)); n++) {
            folder.delete(generationName(n));
        }
    }
}
