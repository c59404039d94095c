package io.orch.responder.gate;

import io.orch.protocol.envelope.ReplyStatus;
import java.util.Objects;

/** Why the gate answers a request itself: the status and message of its reply. */
record Refusal(ReplyStatus status, String message) {
    Refusal {
        Objects.requireNonNull(status, "status == null");
        Objects.requireNonNull(message, "message == null");
    }
}
