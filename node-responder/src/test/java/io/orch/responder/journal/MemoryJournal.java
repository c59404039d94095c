package io.orch.responder.journal;

import java.util.Optional;

/** A journal that lives as long as the process, for tests that need no state folder. */
public final class MemoryJournal implements Journal {
    private JournalEntry pending;
    private LastReboot last;

    @Override
    public synchronized Optional<JournalEntry> pending() {
        return Optional.ofNullable(pending);
    }

    @Override
    public synchronized void record(JournalEntry entry) {
        pending = entry;
    }

    @Override
    public synchronized void clear() {
        pending = null;
    }

    @Override
    public synchronized Optional<LastReboot> last() {
        return Optional.ofNullable(last);
    }

    @Override
    public synchronized void recordLast(LastReboot value) {
        last = value;
    }
}
