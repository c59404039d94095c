package io.orch.responder.command;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** A command that did not finish in time; it has been killed. */
public final class CommandTimeoutException extends IOException {
    private static final long serialVersionUID = 1L;

    public CommandTimeoutException(List<String> argv, Duration timeout) {
        super(argv + " did not finish within " + timeout.toSeconds() + "s; killed");
    }
}
