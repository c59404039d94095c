package io.orch.responder.replay;

/** A request id that cannot be kept: the memory is full, or the id could not be written to disk. */
public class ReplayMemoryException extends Exception {
    public ReplayMemoryException(String message) {
        super(message);
    }

    public ReplayMemoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
