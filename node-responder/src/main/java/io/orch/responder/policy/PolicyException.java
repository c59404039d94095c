package io.orch.responder.policy;

/** A policy file that cannot be used; the message names the file, the key, the line and what is expected. */
public final class PolicyException extends Exception {

    public PolicyException(String message) {
        super(message);
    }
}
