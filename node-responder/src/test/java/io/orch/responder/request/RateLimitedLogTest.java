package io.orch.responder.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.responder.LogCapture;
import io.orch.responder.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitedLogTest {
    private final TestClock clock = new TestClock(Instant.parse("2026-12-01T05:00:00Z"));

    private List<String> warnings(LogCapture capture) {
        return capture.lines().stream().filter(l -> l.startsWith("WARN ") && l.contains("rate-test")).toList();
    }

    @Test
    void aFloodCostsAFewLinesAMinuteAndTheRestIsCounted() {
        LogCapture capture = LogCapture.of(RequestLog.LOG);
        capture.clear();
        RateLimitedLog log = new RateLimitedLog(RequestLog.LOG, 3, clock);

        for (int i = 0; i < 10; i++) {
            log.warn("A", "rate-test A {}", i);
        }
        log.warn("B", "rate-test B {}", 0); // another kind has its own budget
        assertEquals(List.of("WARN rate-test A 0", "WARN rate-test A 1", "WARN rate-test A 2", "WARN rate-test B 0"),
                warnings(capture));

        clock.advance(Duration.ofMinutes(1));
        log.warn("A", "rate-test A {}", 10);

        List<String> lines = capture.lines();
        assertTrue(lines.contains("WARN 7 more of 'A' not logged one by one since 2026-12-01T05:00:00Z (at most 3 "
                + "lines a minute)"), lines.toString());
        assertEquals("WARN rate-test A 10", warnings(capture).get(warnings(capture).size() - 1));
    }
}
