package io.orch.protocol.payload;

import java.util.Objects;

/** The data of a {@code ping} reply: which boot the node is on, and for how long. */
public record PingData(String bootId, long uptimeSeconds) implements ReplyData {
    public PingData {
        Objects.requireNonNull(bootId, "bootId == null");
    }
}
