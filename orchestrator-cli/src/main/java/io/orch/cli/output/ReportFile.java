package io.orch.cli.output;

import io.orch.cli.run.RunReport;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * {@code --report-file}: the {@code --json} report written beside whatever stdout shows. It is replaced
 * whole (a new file beside it, then renamed over it), so a reader never sees half a report, and it is
 * created as a shell's {@code >} would create it: with the user's umask.
 */
public final class ReportFile {
    private ReportFile() {
    }

    /** @return null when written, else why not (the path and the system's reason) */
    public static String write(Path file, RunReport report) {
        Path target = file.toAbsolutePath();
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            byte[] json = (JsonRenderer.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(
                    JsonRenderer.toJson(report)) + "\n").getBytes(StandardCharsets.UTF_8);
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                out.write(json);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return null;
        } catch (IOException e) {
            return "could not write the report to " + file + ": " + reason(e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // nothing more to do: the name is random and hidden
            }
        }
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such folder";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
