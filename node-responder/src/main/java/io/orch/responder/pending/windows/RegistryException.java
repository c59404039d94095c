package io.orch.responder.pending.windows;

import java.io.IOException;

/** A registry value that cannot be read or has another type than the one asked for: the detector cannot decide. */
final class RegistryException extends IOException {
    private static final long serialVersionUID = 1L;

    RegistryException(String message) {
        super(message);
    }

    RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
