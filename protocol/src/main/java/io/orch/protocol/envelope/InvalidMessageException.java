package io.orch.protocol.envelope;

import java.util.Optional;

/**
 * A message that cannot be taken as what it claims to be. The text says what is wrong in
 * words an operator can act on; {@link #requestId()} is set when the id could still be read,
 * so the node can answer {@code invalid} to the right request.
 */
public final class InvalidMessageException extends Exception {
    private final String requestId;

    public InvalidMessageException(String message) {
        this(message, null);
    }

    public InvalidMessageException(String message, String requestId) {
        super(message);
        this.requestId = requestId;
    }

    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    InvalidMessageException withRequestId(String id) {
        return requestId != null || id == null ? this : new InvalidMessageException(getMessage(), id);
    }
}
