package io.orch.responder.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The delay a node reports with {@code scheduled} ({@code effective_delay_s}) is the one its command
 * really waits: whole minutes for {@code shutdown -r +{delay_min}}, the exact seconds for a command
 * given {@code {delay_s}}, none for a command given no delay. Nothing is run here.
 */
class EffectiveDelayTest {
    private static RebootPlan plan(long seconds) {
        return new RebootPlan("req-1", Duration.ofSeconds(seconds), "m", List.of());
    }

    @ParameterizedTest(name = "{0}s asked -> +{1} -> {2}s")
    @CsvSource({"0,0,0", "1,1,60", "3,1,60", "60,1,60", "61,2,120", "3600,60,3600", "3601,61,3660"})
    void shutdownWaitsWholeMinutesAndSaysSo(long requested, long minutes, long effective) {
        CommandRebootExecutor shutdown = new CommandRebootExecutor(CommandRebootExecutor.LINUX_DEFAULT, 30);

        assertEquals(List.of("shutdown", "-r", "+" + minutes, "m"), shutdown.argv(plan(requested)));
        assertEquals(Duration.ofSeconds(effective), shutdown.effectiveDelay(Duration.ofSeconds(requested)));
    }

    @Test
    void aCommandGivenTheSecondsWaitsExactlyThem() {
        CommandRebootExecutor command = new CommandRebootExecutor(
                List.of("/usr/local/sbin/fake-reboot", "--in={delay_s}", "{request_id}"), 30);

        assertEquals(List.of("/usr/local/sbin/fake-reboot", "--in=3", "req-1"), command.argv(plan(3)));
        assertEquals(Duration.ofSeconds(3), command.effectiveDelay(Duration.ofSeconds(3)));
        assertEquals(Duration.ofSeconds(61), command.effectiveDelay(Duration.ofSeconds(61)));
    }

    @Test
    void aCommandGivenNoDelayGoesDownWhenRun() {
        CommandRebootExecutor command = new CommandRebootExecutor(List.of("systemctl", "reboot"), 30);

        assertEquals(Duration.ZERO, command.effectiveDelay(Duration.ofSeconds(90)));
    }

    @Test
    void theLogOnlyExecutorReportsWhatItsCommandWouldWait() {
        LoggingRebootExecutor log = new LoggingRebootExecutor(
                new CommandRebootExecutor(CommandRebootExecutor.LINUX_DEFAULT, 30));

        assertEquals(Duration.ofMinutes(2), log.effectiveDelay(Duration.ofSeconds(61)));
    }
}
