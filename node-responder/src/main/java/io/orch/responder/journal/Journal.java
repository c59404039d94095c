package io.orch.responder.journal;

import java.io.IOException;
import java.util.Optional;

/** The node's durable memory of promised and past reboots. */
public interface Journal {
    Optional<JournalEntry> pending() throws IOException;

    /** Durable before it returns: a reboot is never started on a promise that could be lost. */
    void record(JournalEntry entry) throws IOException;

    void clear() throws IOException;

    /**
     * Throws when {@code entry} could not be recorded now (the state folder full, read-only or gone):
     * checked before a node promises a reboot. Journals in memory can always record.
     */
    default void checkWritable(JournalEntry entry) throws IOException {
    }

    Optional<LastReboot> last() throws IOException;

    void recordLast(LastReboot last) throws IOException;
}
