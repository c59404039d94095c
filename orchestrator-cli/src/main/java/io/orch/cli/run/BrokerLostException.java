package io.orch.cli.run;

/**
 * The bus failed under a request without a lost-connection notice first (the broker refused a
 * session or a send): reported as "lost the broker", since some nodes may have received it.
 */
public final class BrokerLostException extends BrokerUnreachableException {
    public BrokerLostException(String message, Throwable cause) {
        this(message, cause, null);
    }

    /** @param partial what had arrived before the loss, or null */
    public BrokerLostException(String message, Throwable cause, Collected partial) {
        super(message, partial);
        initCause(cause);
    }
}
