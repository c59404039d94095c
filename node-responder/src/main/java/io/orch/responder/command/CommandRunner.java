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
}
