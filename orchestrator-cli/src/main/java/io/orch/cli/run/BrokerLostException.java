package io.orch.cli.run;

/**
 * The bus failed under a request without a lost-connection notice first (the broker refused a
 * session or a send): reported as "lost the broker", since some nodes may have received it.
 */
public final class BrokerLostException extends BrokerUnreachableException {
    public BrokerLostException(String message, Throwable cause) {
        super(message);
        initCause(cause);
    }
}
