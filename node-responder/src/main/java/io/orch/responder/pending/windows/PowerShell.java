package io.orch.responder.pending.windows;

import io.orch.protocol.Limits;
import io.orch.responder.command.CommandResult;
import io.orch.responder.command.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs one PowerShell expression ({@code powershell -NoProfile -NonInteractive -Command ...}) for
 * the WMI and DSC detectors. A command that exits non-zero, or that says its WMI namespace, class
 * or cmdlet is not there, means the feature is not installed: no answer, not an error. A command
 * that does not finish in time is an error ({@link io.orch.responder.command.CommandTimeoutException}).
 */
final class PowerShell {
    /** Evidence and messages keep this much of the output. */
    static final int MAX_SHOWN = Limits.MAX_QUOTED_OUTPUT_CHARS;

    private static final List<String> ABSENT = List.of("invalid namespace", "invalid class", "not found",
            "is not recognized as the name of a cmdlet", "0x8004100e", "0x80041010");

    private final CommandRunner runner;
    private final String executable;
    private final Duration timeout;

    PowerShell(CommandRunner runner, String executable, Duration timeout) {
        this.runner = Objects.requireNonNull(runner, "runner == null");
        if (executable == null || executable.isBlank()) {
            throw new IllegalArgumentException("powershell executable is empty");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("powershell timeout must be more than 0, got " + timeout);
        }
        this.executable = executable;
        this.timeout = timeout;
    }

    /**
     * Windows PowerShell by its full path under {@code %SystemRoot%}, so a {@code powershell.exe}
     * in the working folder or on the PATH is never the one that runs; plain {@code powershell}
     * where that path is unknown.
     */
    static String defaultExecutable() {
        String systemRoot = System.getenv("SystemRoot");
        if (systemRoot != null && !systemRoot.isBlank()) {
            Path exe = Path.of(systemRoot, "System32", "WindowsPowerShell", "v1.0", "powershell.exe");
            if (Files.isRegularFile(exe)) {
                return exe.toString();
            }
        }
        return "powershell";
    }

    List<String> argv(String expression) {
        return List.of(executable, "-NoProfile", "-NonInteractive", "-Command", expression);
    }

    /**
     * The expression's standard output, or empty when the feature it asks about is not installed.
     *
     * @throws io.orch.responder.command.CommandTimeoutException when it did not finish in time
     * @throws IOException when PowerShell cannot be started
     */
    Optional<String> answer(String expression) throws IOException, InterruptedException {
        CommandResult result = runner.run(argv(expression), null, timeout);
        if (result.exitCode() != 0) {
            return Optional.empty();
        }
        if (result.output().isBlank() && mentionsAbsence(result.errors())) {
            return Optional.empty();
        }
        return Optional.of(result.output());
    }

    private static boolean mentionsAbsence(String errors) {
        String text = errors.toLowerCase(Locale.ROOT);
        return ABSENT.stream().anyMatch(text::contains);
    }

    static String shown(String output) {
        return CommandResult.head(output, MAX_SHOWN);
    }
}
