package io.orch.responder.config;

/** A config problem, worded for the operator who has to fix the file. */
public final class ConfigException extends Exception {
    ConfigException(String message) {
        super(message);
    }
}
