package io.orch.responder.pending;

import io.orch.protocol.payload.Reason;
import io.orch.responder.command.CommandResult;
import io.orch.responder.command.CommandRunner;
import io.orch.responder.command.TrustedExecutable;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A site's own check, configured as a command (arguments, no shell): exit 0 means a reboot is
 * pending, exit 1 means it is not. Any other exit, or no exit within the timeout, is an error:
 * the check could not decide, and an undecided check never reboots a node. A command anyone but root
 * could change ({@link TrustedExecutable}) is not run, and is an error too.
 */
public final class SentinelCommand implements PendingDetector {
    /** How much of the command's output the evidence keeps. */
    public static final int MAX_OUTPUT_CHARS = 200;

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
        String untrusted = TrustedExecutable.problem(command.get(0));
        if (untrusted != null) {
            throw new IOException("sentinel command " + untrusted);
        }
        CommandResult result = runner.run(command, null, timeout);
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

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl).strip();
    }
}
