package io.orch.responder.pending;

import io.orch.protocol.Limits;
import io.orch.protocol.payload.Reason;
import io.orch.responder.command.CommandResult;
import io.orch.responder.command.CommandRunner;
import io.orch.responder.command.TrustedExecutable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A site's own check, configured as a command (arguments, no shell): exit 0 means a reboot is
 * pending, exit 1 means it is not. Any other exit, or no exit within the timeout, is an error:
 * the check could not decide, and an undecided check never reboots a node. A command anyone but root
 * could change ({@link TrustedExecutable}) is not run, and is an error too; so is one given a file
 * (an argument naming an existing file, such as the script of {@code /bin/sh script}) anyone but
 * root could change. The command runs by the names it was given, once they and the real files behind them are checked.
 */
public final class SentinelCommand implements PendingDetector {
    /** How much of the command's output the evidence keeps. */
    public static final int MAX_OUTPUT_CHARS = Limits.MAX_QUOTED_OUTPUT_CHARS;

    private final List<String> command;
    private final Duration timeout;
    private final CommandRunner runner;

    /** @throws IllegalArgumentException for an empty command or a timeout that is not positive */
    public SentinelCommand(List<String> command, Duration timeout, CommandRunner runner) {
        if (command == null || command.isEmpty() || command.get(0).isBlank()) {
            throw new IllegalArgumentException("sentinel command is empty");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("sentinel command timeout must be more than 0, got " + timeout);
        }
        this.command = List.copyOf(command);
        this.timeout = timeout;
        this.runner = Objects.requireNonNull(runner, "runner == null");
    }

    @Override
    public String name() {
        return "sentinel_command";
    }

    @Override
    public Optional<Reason> detect() throws IOException, InterruptedException {
        CommandResult result = runner.run(checkedArgv(), null, timeout);
        String output = result.output().strip();
        if (output.length() > MAX_OUTPUT_CHARS) {
            output = output.substring(0, MAX_OUTPUT_CHARS);
        }
        switch (result.exitCode()) {
            case 0:
                Map<String, Object> evidence = new LinkedHashMap<>();
                evidence.put("command", command);
                evidence.put("output", output);
                return Optional.of(new Reason(name(), "sentinel command " + command + " exited 0"
                        + (output.isEmpty() ? "" : ": " + firstLine(output)), evidence));
            case 1:
                return Optional.empty();
            default:
                String said = output.isEmpty() ? CommandResult.head(result.errors(), MAX_OUTPUT_CHARS) : output;
                throw new IOException("sentinel command " + command + " exited " + result.exitCode()
                        + " (0 = pending, 1 = not pending)" + (said.isEmpty() ? "" : ": " + said));
        }
    }

    /**
     * The command as it will run: the program and every argument that names an existing file
     * (a script given to an interpreter, a file the check reads) checked by {@link TrustedExecutable},
     * which makes sure nobody but root can swap anything on the way after the check.
     *
     * @throws IOException naming the program or argument anyone but root could change
     */
    private List<String> checkedArgv() throws IOException {
        List<String> argv = new ArrayList<>(command.size());
        TrustedExecutable.Checked program = TrustedExecutable.check(command.get(0));
        if (!program.trusted()) {
            throw new IOException("sentinel command " + program.problem());
        }
        argv.add(program.path() == null ? command.get(0) : program.path().toString());
        for (String arg : command.subList(1, command.size())) {
            Path file = existingFile(arg);
            if (file == null) {
                argv.add(arg);
                continue;
            }
            TrustedExecutable.Checked checked = TrustedExecutable.check(file);
            if (!checked.trusted()) {
                throw new IOException("sentinel command " + command + ": its argument " + arg + " is a file the "
                        + "command reads or runs as root; " + checked.problem());
            }
            argv.add(checked.path().toString());
        }
        return argv;
    }

    /** The regular file {@code arg} names (relative to the responder's folder, as for the command), or null. */
    private static Path existingFile(String arg) {
        if (arg.isBlank() || arg.indexOf('\0') >= 0) {
            return null;
        }
        try {
            Path path = Path.of(arg);
            return Files.isRegularFile(path) ? path : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl).strip();
    }
}
