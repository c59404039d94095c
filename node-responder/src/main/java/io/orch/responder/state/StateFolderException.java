package io.orch.responder.state;

import java.io.IOException;

/** The state folder is unsafe or unusable; the message names the path, what is wrong and how to fix it. */
public final class StateFolderException extends IOException {
    private static final long serialVersionUID = 1L;

    public StateFolderException(String message) {
        super(message);
    }

    public StateFolderException(String message, Throwable cause) {
        super(message, cause);
    }
}
