package io.orch.responder.pending;

import io.orch.protocol.payload.Reason;
import java.util.Optional;

/** Looks for one reason this node needs a reboot. Called for every request: no caching. */
public interface PendingDetector {

    /** The reason's name as it appears in {@code reboot_pending_reasons}, e.g. {@code reboot_required}. */
    String name();

    /** The reason with its evidence when a reboot is pending for it, else empty. */
    Optional<Reason> detect() throws Exception;
}
