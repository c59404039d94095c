package io.orch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the first and the second Ctrl-C do. */
class InterruptTest {
    private final List<Integer> exits = new ArrayList<>();
    private final Interrupt interrupt = new Interrupt(exits::add);

    @Test
    void theFirstSignalRunsEveryListenerAndDoesNotExit() {
        AtomicInteger a = new AtomicInteger();
        AtomicInteger b = new AtomicInteger();
        interrupt.onStop(a::incrementAndGet);
        interrupt.onStop(b::incrementAndGet);

        interrupt.signal();

        assertEquals(1, a.get());
        assertEquals(1, b.get());
        assertEquals(List.of(), exits);
        assertTrue(interrupt.requested());
    }

    @Test
    void theSecondSignalExitsWith130AndDoesNotRunTheListenersAgain() {
        AtomicInteger runs = new AtomicInteger();
        interrupt.onStop(runs::incrementAndGet);

        interrupt.signal();
        interrupt.signal();

        assertEquals(List.of(130), exits);
        assertEquals(1, runs.get());
    }

    @Test
    void withNobodyListeningTheFirstSignalExits() {
        interrupt.signal();

        assertEquals(List.of(ExitCode.INTERRUPTED), exits);
        assertTrue(interrupt.requested());
    }

    @Test
    void aListenerRegisteredAfterTheSignalRunsAtOnce() {
        AtomicInteger first = new AtomicInteger();
        interrupt.onStop(first::incrementAndGet);
        interrupt.signal();

        AtomicInteger late = new AtomicInteger();
        interrupt.onStop(late::incrementAndGet);

        assertEquals(1, late.get());
        assertEquals(1, first.get());
        assertEquals(List.of(), exits);
    }

    @Test
    void aClosedRegistrationIsNotCalled() {
        AtomicInteger closed = new AtomicInteger();
        AtomicInteger open = new AtomicInteger();
        Interrupt.Registration registration = interrupt.onStop(closed::incrementAndGet);
        interrupt.onStop(open::incrementAndGet);

        registration.close();
        interrupt.signal();

        assertEquals(0, closed.get());
        assertEquals(1, open.get());
        assertEquals(List.of(), exits);
    }

    @Test
    void whenTheOnlyRegistrationIsClosedTheFirstSignalExits() {
        AtomicInteger runs = new AtomicInteger();
        try (Interrupt.Registration registration = interrupt.onStop(runs::incrementAndGet)) {
            assertFalse(interrupt.requested());
        }

        interrupt.signal();

        assertEquals(0, runs.get());
        assertEquals(List.of(130), exits);
    }

    @Test
    void closingARegistrationTwiceIsHarmless() {
        Interrupt.Registration registration = interrupt.onStop(() -> {
        });

        registration.close();
        registration.close();
        interrupt.signal();

        assertEquals(List.of(130), exits);
    }

    @Test
    void nothingIsRequestedBeforeASignal() {
        interrupt.onStop(() -> {
        });

        assertFalse(interrupt.requested());
        assertEquals(List.of(), exits);
    }
}
