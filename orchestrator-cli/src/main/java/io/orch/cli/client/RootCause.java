package io.orch.cli.client;

/** The words of a broker failure worth showing: the innermost cause's message, not a chain of wrappers. */
public final class RootCause {
    private RootCause() {
    }

    /** The message of {@code t}'s innermost cause, or that cause's class name when it has none. */
    public static String message(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }
}
