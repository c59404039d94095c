package io.orch.responder.executor;

/** The platform refused or failed to start a reboot. */
public final class RebootException extends Exception {
    public RebootException(String message) {
        super(message);
    }

    public RebootException(String message, Throwable cause) {
        super(message, cause);
    }
}
