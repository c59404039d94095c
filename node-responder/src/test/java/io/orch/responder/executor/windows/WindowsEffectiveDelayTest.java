package io.orch.responder.executor.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.orch.responder.executor.RebootPlan;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Windows waits the requested delay to the second; what the node reports is what the API was given. */
class WindowsEffectiveDelayTest {
    @ParameterizedTest(name = "{0} ms")
    @ValueSource(longs = {0, 1, 1500, 3000, 61_000, 3_600_000})
    void theReportedDelayIsTheTimeoutGivenToWindows(long millis) throws Exception {
        FakeShutdownApi api = new FakeShutdownApi();
        WindowsShutdownExecutor executor = new WindowsShutdownExecutor(api);
        Duration requested = Duration.ofMillis(millis);

        executor.reboot(new RebootPlan("req-1", requested, "m", List.of()));

        long given = ((Integer) api.calls.get(1).args().get(2)).longValue();
        assertEquals(Duration.ofSeconds(given), executor.effectiveDelay(requested));
        assertEquals((millis + 999) / 1000, given, "no minute rounding on Windows");
    }
}
