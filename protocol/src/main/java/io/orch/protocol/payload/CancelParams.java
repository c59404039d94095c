package io.orch.protocol.payload;

import io.orch.protocol.Limits;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The params of {@code cancel}: which reboot to stop. Both null: whatever reboot is under way.
 *
 * @param requestId  one request id (what older CLIs send), or null
 * @param requestIds the request ids of a rolling run, one per batch: 1 to {@value Limits#MAX_CANCEL_REQUEST_IDS}, or null
 */
public record CancelParams(String requestId, List<String> requestIds) implements ActionParams {
    /** Cancel whatever reboot is under way. */
    public static final CancelParams ANY = new CancelParams(null, null);

    public CancelParams {
        requestIds = Copies.nullableList(requestIds);
        if (requestIds != null) {
            checkCount(requestIds.size());
        }
    }

    /** The ids to cancel, {@code request_id} first; empty means any. */
    public Set<String> targets() {
        Set<String> ids = new LinkedHashSet<>();
        if (requestId != null) {
            ids.add(requestId);
        }
        if (requestIds != null) {
            ids.addAll(requestIds);
        }
        return ids;
    }

    /** An empty or huge list is a broken client, not "cancel whatever is under way". */
    public static void checkCount(int size) {
        if (size == 0 || size > Limits.MAX_CANCEL_REQUEST_IDS) {
            throw new IllegalArgumentException("param 'request_ids' must hold 1 to " + Limits.MAX_CANCEL_REQUEST_IDS
                    + " request ids");
        }
    }
}
