package io.orch.responder.pending.windows;

import io.orch.responder.command.CommandResult;
import io.orch.responder.command.CommandRunner;
import io.orch.responder.command.CommandTimeoutException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Answers every command with one canned result (or a timeout) and remembers what it was asked. */
final class FakeRunner implements CommandRunner {
    final List<List<String>> commands = new ArrayList<>();
    final List<Duration> timeouts = new ArrayList<>();
    private final CommandResult result;
    private final boolean timesOut;

    private FakeRunner(CommandResult result, boolean timesOut) {
        this.result = result;
        this.timesOut = timesOut;
    }

    static FakeRunner answering(int exitCode, String output, String errors) {
        return new FakeRunner(new CommandResult(exitCode, output, false, errors), false);
    }

    static FakeRunner answering(int exitCode, String output) {
        return answering(exitCode, output, "");
    }

    static FakeRunner timingOut() {
        return new FakeRunner(null, true);
    }

    @Override
    public CommandResult run(List<String> argv, Path workDir, Duration timeout) throws IOException {
        commands.add(List.copyOf(argv));
        timeouts.add(timeout);
        if (timesOut) {
            throw new CommandTimeoutException(argv, timeout);
        }
        return result;
    }
}
