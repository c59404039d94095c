package io.orch.responder.command;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Runs one command, no shell, and gives back its exit code and output; never waits past the timeout. */
public interface CommandRunner {

    /**
     * @param workDir the command's working folder, or null for the responder's own
     * @throws CommandTimeoutException when it did not finish within the timeout (it is killed, with its children)
     * @throws IOException             when it cannot be started
     * @throws InterruptedException    when the waiting thread is interrupted (the command is killed)
     */
    CommandResult run(List<String> argv, Path workDir, Duration timeout) throws IOException, InterruptedException;

    /**
     * As {@link #run(List, Path, Duration)}, reading at most {@code maxOutputBytes} of standard output:
     * past it the command is killed and the result marked truncated. This default (for runners in
     * tests) cuts the output afterwards; the real runner never reads past the limit.
     */
    default CommandResult run(List<String> argv, Path workDir, Duration timeout, int maxOutputBytes)
            throws IOException, InterruptedException {
        CommandResult result = run(argv, workDir, timeout);
        byte[] bytes = result.output().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (bytes.length <= maxOutputBytes) {
            return result;
        }
        return new CommandResult(result.exitCode(), new String(bytes, 0, maxOutputBytes,
                java.nio.charset.StandardCharsets.UTF_8), true, result.errors());
    }
}
