package io.orch.responder.metrics;

import io.orch.responder.pending.PendingState;
import io.orch.responder.state.StateFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Since when the node has needed a reboot, kept in the state folder ({@value #FILE_NAME}, Unix seconds) so that
 * a responder restarted by an upgrade does not reset a "pending for more than 7 days" alert. A check that finds
 * the node clear forgets it; one that cannot decide (a detector failed, none found a reason) leaves it as it was.
 */
final class PendingSince {
    private static final Logger log = LoggerFactory.getLogger(PendingSince.class);
    static final String FILE_NAME = "pending-since";

    private final StateFolder folder;
    private Instant since;
    private boolean loaded;

    PendingSince(StateFolder folder) {
        this.folder = folder;
    }

    /** Takes in one check's result; @return since when the node has needed a reboot, or null when it does not */
    synchronized Instant update(PendingState state, Instant now) {
        if (!loaded) {
            since = load();
            loaded = true;
        }
        if (state.pending()) {
            if (since == null || since.isAfter(now)) {
                since = now;
                save(now);
            }
            return since;
        }
        if (state.unknownReason() == null && since != null) {
            since = null;
            try {
                folder.delete(FILE_NAME);
            } catch (IOException e) {
                log.warn("cannot remove {}: {}", folder.resolve(FILE_NAME), e.getMessage());
            }
        }
        return state.unknownReason() == null ? null : since;
    }

    private Instant load() {
        try {
            byte[] bytes = folder.read(FILE_NAME, 32);
            if (bytes == null) {
                return null;
            }
            String text = new String(bytes, StandardCharsets.US_ASCII).trim();
            return Instant.ofEpochSecond(Long.parseLong(text));
        } catch (IOException | RuntimeException e) {
            log.warn("{} unreadable ({}); counting from now", folder.resolve(FILE_NAME), e.getMessage());
            return null;
        }
    }

    private void save(Instant at) {
        try {
            folder.replace(FILE_NAME, (at.getEpochSecond() + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            log.warn("cannot write {}: {}; the time is kept until the responder stops", folder.resolve(FILE_NAME),
                    e.getMessage());
        }
    }
}
