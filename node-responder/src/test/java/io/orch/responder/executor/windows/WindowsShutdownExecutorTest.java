package io.orch.responder.executor.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.orch.responder.executor.RebootException;
import io.orch.responder.executor.RebootPlan;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the Windows executor asks of the shutdown API, and how it reports a refusal. Only a fake API is called. */
class WindowsShutdownExecutorTest {
    /** SHTDN_REASON_MAJOR_OPERATINGSYSTEM | SHTDN_REASON_MINOR_UPGRADE | SHTDN_REASON_FLAG_PLANNED */
    private static final int PLANNED_OS_UPGRADE = 0x80020003;

    private final FakeShutdownApi api = new FakeShutdownApi();
    private final WindowsShutdownExecutor executor = new WindowsShutdownExecutor(api);

    private static RebootPlan plan(Duration delay, String message) {
        return new RebootPlan("req-1", delay, message, List.of("windows_update"));
    }

    @Test
    void rebootEnablesThePrivilegeThenAsksForAPlannedRebootThatClosesNothingByForce() throws Exception {
        executor.reboot(plan(Duration.ofMinutes(5), "orch: patching window"));

        assertEquals(List.of("privilege", "initiate"), api.names());
        assertEquals(Arrays.asList(null, "orch: patching window", 300, false, true, PLANNED_OS_UPGRADE),
                api.calls.get(1).args());
        assertEquals(PLANNED_OS_UPGRADE, WindowsShutdownExecutor.REASON);
        assertTrue(executor.reboots());
    }

    static Stream<Arguments> delays() {
        return Stream.of(
                arguments(Duration.ZERO, 0),
                arguments(Duration.ofSeconds(1), 1),
                arguments(Duration.ofMillis(1500), 2),
                arguments(Duration.ofNanos(1), 1),
                arguments(Duration.ofHours(1), 3600),
                arguments(Duration.ofSeconds(WindowsShutdownExecutor.MAX_DELAY_S), 315_360_000));
    }

    @ParameterizedTest(name = "{0} -> {1}s")
    @MethodSource("delays")
    void theDelayIsInWholeSecondsAndNeverEarly(Duration delay, int seconds) throws Exception {
        executor.reboot(plan(delay, "m"));

        assertEquals(seconds, api.calls.get(1).args().get(2));
        assertEquals("InitiateSystemShutdownEx(reboot, delay " + seconds + "s, \"m\")", executor.describe(plan(delay, "m")));
    }

    @Test
    void aDelayWindowsCannotTakeIsRefusedBeforeAnyCall() {
        RebootException e = assertThrows(RebootException.class,
                () -> executor.reboot(plan(Duration.ofSeconds(WindowsShutdownExecutor.MAX_DELAY_S + 1), "m")));
        assertTrue(e.getMessage().contains("more than Windows allows"), e.getMessage());
        assertTrue(api.calls.isEmpty());
    }

    @Test
    void noMessageIsPassedAsNull() throws Exception {
        executor.reboot(plan(Duration.ofSeconds(60), ""));
        assertEquals(null, api.calls.get(1).args().get(1));
        assertEquals("InitiateSystemShutdownEx(reboot, delay 60s, \"\")", executor.describe(plan(Duration.ofSeconds(60), null)));
    }

    @Test
    void aLongMessageIsCut() throws Exception {
        executor.reboot(plan(Duration.ofSeconds(60), "x".repeat(2000)));
        assertEquals("x".repeat(WindowsShutdownExecutor.MAX_MESSAGE_CHARS), api.calls.get(1).args().get(1));
    }

    @Test
    void describeShowsTheCallWithItsQuotesEscaped() {
        assertEquals("InitiateSystemShutdownEx(reboot, delay 120s, \"orch: say \\\"bye\\\"\")",
                executor.describe(plan(Duration.ofMinutes(2), "orch: say \"bye\"")));
        assertTrue(api.calls.isEmpty(), "describe calls nothing");
    }

    @Test
    void aRefusedShutdownNamesTheWin32Error() {
        api.initiateError = 5;

        RebootException e = assertThrows(RebootException.class, () -> executor.reboot(plan(Duration.ofSeconds(60), "m")));

        assertEquals("InitiateSystemShutdownEx failed: Win32 error 5 ERROR_ACCESS_DENIED (Access is denied.)",
                e.getMessage());
    }

    @Test
    void aShutdownAlreadyUnderWayIsAnError() {
        api.initiateError = 1190;
        RebootException e = assertThrows(RebootException.class, () -> executor.reboot(plan(Duration.ofSeconds(60), "m")));
        assertEquals("InitiateSystemShutdownEx failed: Win32 error 1190 ERROR_SHUTDOWN_IS_SCHEDULED", e.getMessage());
    }

    @Test
    void anUnknownErrorIsStillNamedByNumber() {
        api.initiateError = 4242;
        RebootException e = assertThrows(RebootException.class, () -> executor.reboot(plan(Duration.ofSeconds(60), "m")));
        assertEquals("InitiateSystemShutdownEx failed: Win32 error 4242", e.getMessage());
    }

    @Test
    void withoutTheShutdownPrivilegeNothingIsAttempted() {
        api.privilegeError = 1300;

        RebootException e = assertThrows(RebootException.class, () -> executor.reboot(plan(Duration.ofSeconds(60), "m")));

        assertTrue(e.getMessage().startsWith("cannot enable SeShutdownPrivilege: Win32 error 1300 ERROR_NOT_ALL_ASSIGNED"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Shut down the system"), e.getMessage());
        assertEquals(List.of("privilege"), api.names());
    }

    @Test
    void cancelAbortsTheShutdownOnThisMachine() throws Exception {
        executor.cancel(plan(Duration.ofSeconds(60), "m"));

        assertEquals(List.of("privilege", "abort"), api.names());
        assertEquals(Arrays.asList((Object) null), api.calls.get(1).args());
    }

    @Test
    void cancellingWhenNothingIsScheduledNamesTheError() {
        api.abortError = 1116;

        RebootException e = assertThrows(RebootException.class, () -> executor.cancel(plan(Duration.ofSeconds(60), "m")));

        assertEquals("AbortSystemShutdown failed: Win32 error 1116 ERROR_NO_SHUTDOWN_IN_PROGRESS (Unable to abort the "
                + "system shutdown because no shutdown was in progress.)", e.getMessage());
    }

    @Test
    void cancelWithoutThePrivilegeIsAnError() {
        api.privilegeError = 1314;
        RebootException e = assertThrows(RebootException.class, () -> executor.cancel(plan(Duration.ofSeconds(60), "m")));
        assertTrue(e.getMessage().contains("ERROR_PRIVILEGE_NOT_HELD"), e.getMessage());
        assertEquals(List.of("privilege"), api.names());
    }

    @Test
    void theRealApiIsRefusedOffWindows() {
        assumeFalse(System.getProperty("os.name", "").toLowerCase().startsWith("windows"));
        IllegalStateException e = assertThrows(IllegalStateException.class, WindowsShutdownExecutor::system);
        assertTrue(e.getMessage().contains("only available on Windows"), e.getMessage());
    }
}
