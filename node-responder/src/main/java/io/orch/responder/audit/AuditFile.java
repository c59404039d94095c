package io.orch.responder.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One audit file and its older generations, as logrotate keeps them: {@code NAME} is written,
 * {@code NAME.1} is the generation before, {@code NAME.2} the one before that. A generation is
 * deleted once the whole set passes its size, or once its last line is older than the age limit.
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

    private final Path file;
    private final Budget budget;
    private final Clock clock;
    private Instant lastSweep;

    AuditFile(Path file, Budget budget, Clock clock) {
        this.file = Objects.requireNonNull(file, "file == null");
        this.budget = Objects.requireNonNull(budget, "budget == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    Path path() {
        return file;
    }

    /** Generation {@code n} (1 is the newest); 0 is the file itself. */
    Path generation(int n) {
        return n == 0 ? file : file.resolveSibling(file.getFileName() + "." + n);
    }

    /** Appends one whole line, moving the file aside first when the line would take it past its size. */
    void append(byte[] line) throws IOException {
        Instant now = clock.instant();
        long size = size(file);
        if (size > 0 && size + line.length > budget.fileMaxBytes()) {
            rotate();
            sweep(now);
        } else if (lastSweep == null || !now.isBefore(lastSweep.plus(SWEEP_EVERY)) || now.isBefore(lastSweep)) {
            sweep(now);
        }
        write(file, line);
    }

    /**
     * The one place the audit opens a file for writing: appends {@code line} to {@code target},
     * creating it (and its folder) when missing.
     */
    private static void write(Path target, byte[] line) throws IOException {
        Files.createDirectories(target.getParent());
        Files.write(target, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    /** The file becomes generation 1; every generation moves one up. */
    private void rotate() throws IOException {
        int last = 0;
        while (Files.exists(generation(last + 1))) {
            last++;
        }
        for (int n = last; n >= 0; n--) {
            Files.move(generation(n), generation(n + 1), StandardCopyOption.REPLACE_EXISTING);
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
        if (stale(file, oldest)) {
            // Its newest line is past the limit, so every older generation is too.
            deleteFrom(0);
            return;
        }
        long total = budget.fileMaxBytes();
        for (int n = 1; Files.exists(generation(n)); n++) {
            long size = size(generation(n));
            if (stale(generation(n), oldest) || total + size > budget.totalMaxBytes()) {
                deleteFrom(n);
                return;
            }
            total += size;
        }
    }

    private static boolean stale(Path path, Instant oldest) throws IOException {
        try {
            return Files.getLastModifiedTime(path).toInstant().isBefore(oldest);
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** Deletes generation {@code first} and every older one. */
    private void deleteFrom(int first) throws IOException {
        for (int n = first; n == 0 || Files.exists(generation(n)); n++) {
            Files.deleteIfExists(generation(n));
        }
    }

    private static long size(Path path) throws IOException {
        try {
            return Files.size(path);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }
}
