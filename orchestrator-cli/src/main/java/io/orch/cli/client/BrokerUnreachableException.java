package io.orch.cli.client;

/** The broker did not accept a connection within the connect timeout. */
public final class BrokerUnreachableException extends Exception {
    public BrokerUnreachableException(String message) {
        super(message);
    }
}
