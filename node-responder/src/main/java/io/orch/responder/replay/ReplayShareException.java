package io.orch.responder.replay;

/**
 * A request id not kept because its caller already has its whole share of the replay memory
 * ({@link io.orch.protocol.Limits#MAX_LIVE_REQUEST_IDS_PER_CALLER}): that caller's doing, not the node's.
 */
public final class ReplayShareException extends ReplayMemoryException {
    public ReplayShareException(String message) {
        super(message);
    }
}
