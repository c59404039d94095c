package io.orch.cli;

/** A mistake in what the user typed or configured; exit code 2 and nothing published. */
public final class UsageException extends RuntimeException {
    private final String detail;

    public UsageException(String message) {
        this(message, null);
    }

    /** @param detail extra lines printed under the message, e.g. a caret under a bad filter token */
    public UsageException(String message, String detail) {
        super(message);
        this.detail = detail;
    }

    public String detail() {
        return detail;
    }
}
