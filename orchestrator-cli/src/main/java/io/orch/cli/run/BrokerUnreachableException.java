package io.orch.cli.run;

/**
 * The broker could not be reached, or was lost. When it was lost while collecting the replies to
 * a request, {@link #partial()} holds what had arrived (and whether the request went out at all),
 * so the report can still say who answered what.
 */
public class BrokerUnreachableException extends Exception {
    private final transient Collected partial;

    public BrokerUnreachableException(String message) {
        this(message, null);
    }

    public BrokerUnreachableException(String message, Collected partial) {
        super(message);
        this.partial = partial;
    }

    /** The replies collected before the broker was lost, or null when there were none to keep. */
    public Collected partial() {
        return partial;
    }
}
