package io.orch.responder.policy;

import java.util.Objects;

/**
 * The policy's answer to one request. The reason always says why, in words an operator can act
 * on: it goes into the node's {@code denied} reply and the audit log, e.g.
 * {@code allowed by rule 2 (callers @operators)}, {@code no rule allows alice to reboot this node},
 * {@code outside maintenance window (opens Sat 02:00 Europe/Berlin, in 3h)}.
 */
public record Decision(boolean allowed, String reason) {

    public Decision {
        Objects.requireNonNull(reason, "reason == null");
    }

    static Decision allow(String reason) {
        return new Decision(true, reason);
    }

    static Decision deny(String reason) {
        return new Decision(false, reason);
    }
}
