package io.orch.playground.lab;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IdleAuditWriterTest {
    private static final long HOUR_MS = 3_600_000;
    private final List<Integer> written = new CopyOnWriteArrayList<>();

    @Test
    void linesWaitWhileNewOnesKeepComingAndAreWrittenInOrderOnceIdle() throws Exception {
        AtomicLong now = new AtomicLong();
        // The writer's clock is ours: it stays at 0 while lines come, so it never sees an idle moment.
        try (IdleAuditWriter writer = new IdleAuditWriter(now::get, 50, HOUR_MS, 100)) {
            for (int i = 0; i < 5; i++) {
                int line = i;
                writer.execute(() -> written.add(line));
            }
            Thread.sleep(100); // real time passes, the writer's does not: nothing may be written
            assertEquals(List.of(), written);
            assertEquals(5, writer.waiting());

            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(50));
            await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 5);
            assertEquals(List.of(0, 1, 2, 3, 4), written);
        }
    }

    @Test
    void aLabThatIsNeverIdleStillWritesOnceTheOldestLineWaitedItsLongest() throws Exception {
        AtomicLong now = new AtomicLong();
        try (IdleAuditWriter writer = new IdleAuditWriter(now::get, HOUR_MS, 1_000, 100)) {
            writer.execute(() -> written.add(1));
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(999));
            writer.execute(() -> written.add(2)); // a new line, so never idle
            Thread.sleep(100);
            assertEquals(List.of(), written);

            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> written.size() == 1);
            assertEquals(List.of(1), written, "only the line that waited its longest");
            assertEquals(1, writer.waiting());
        }
    }

    @Test
    void aFullQueueRefusesSoTheNodeWritesItsOwnLine() throws Exception {
        try (IdleAuditWriter writer = new IdleAuditWriter(() -> 0, HOUR_MS, HOUR_MS, 2)) {
            writer.execute(() -> written.add(1));
            writer.execute(() -> written.add(2));
            assertThrows(RejectedExecutionException.class, () -> writer.execute(() -> written.add(3)));
            assertEquals(2, writer.waiting());
        }
    }

    @Test
    void closingWritesEveryWaitingLineAtOnceAndRefusesNewOnes() throws Exception {
        IdleAuditWriter writer = new IdleAuditWriter(() -> 0, HOUR_MS, HOUR_MS, 100);
        for (int i = 0; i < 3; i++) {
            int line = i;
            writer.execute(() -> written.add(line));
        }
        writer.execute(() -> {
            throw new IllegalStateException("a line that fails to write");
        });
        writer.execute(() -> {
            throw new Error("a line whose write fails worse");
        });
        writer.execute(() -> written.add(3));

        writer.close(30, TimeUnit.SECONDS);

        assertEquals(List.of(0, 1, 2, 3), written, "every line, those after failed ones too");
        assertThrows(RejectedExecutionException.class, () -> writer.execute(() -> written.add(4)));
    }
}
