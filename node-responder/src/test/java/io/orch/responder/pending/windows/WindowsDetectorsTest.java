package io.orch.responder.pending.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.orch.responder.pending.PendingDetector;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Names to detectors, for the config wiring; and the JNA registry staying out of the way off Windows. */
class WindowsDetectorsTest {

    /** Fails the test if anything reads it. */
    private static final Registry UNTOUCHABLE = new Registry() {
        @Override
        public boolean keyExists(String key) {
            throw new AssertionError("read " + key);
        }

        @Override
        public List<String> subkeys(String key) {
            throw new AssertionError("read " + key);
        }

        @Override
        public Optional<RegistryValue> value(String key, String name) {
            throw new AssertionError("read " + key);
        }
    };

    @Test
    void everyNameGivesItsDetectorInTheOrderGiven() {
        List<String> names = List.of("windows_cbs", "windows_update", "pending_file_rename", "update_exe_volatile",
                "computer_rename", "domain_join", "ccm_client", "dsc");
        assertEquals(names, WindowsDetectors.ALL);

        List<PendingDetector> detectors = WindowsDetectors.named(WindowsDetectors.ALL, UNTOUCHABLE,
                FakeRunner.answering(1, ""));
        assertEquals(names, detectors.stream().map(PendingDetector::name).toList());

        List<String> some = List.of("dsc", "windows_cbs");
        assertEquals(some, WindowsDetectors.named(some, UNTOUCHABLE, FakeRunner.answering(1, "")).stream()
                .map(PendingDetector::name).toList());
        assertTrue(WindowsDetectors.named(List.of(), UNTOUCHABLE, FakeRunner.answering(1, "")).isEmpty());
    }

    @Test
    void anUnknownNameIsRefusedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WindowsDetectors.named(
                List.of("windows_cbs", "reboot_required"), UNTOUCHABLE, FakeRunner.answering(1, "")));
        assertTrue(e.getMessage().contains("'reboot_required'"), e.getMessage());
        assertTrue(e.getMessage().contains("windows_cbs, windows_update"), e.getMessage());

        assertThrows(IllegalArgumentException.class, () -> WindowsDetectors.named(
                Arrays.asList("dsc", null), UNTOUCHABLE, FakeRunner.answering(1, "")));
        assertThrows(IllegalArgumentException.class, () -> WindowsDetectors.named(
                List.of("WINDOWS_CBS"), UNTOUCHABLE, FakeRunner.answering(1, "")));
    }

    @Test
    void aNameListedTwiceIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WindowsDetectors.named(
                List.of("dsc", "windows_cbs", "dsc"), UNTOUCHABLE, FakeRunner.answering(1, "")));
        assertTrue(e.getMessage().contains("dsc is listed twice"), e.getMessage());
    }

    @Test
    void aPowerShellTimeoutMustBePositive() {
        for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofSeconds(-1), null}) {
            assertThrows(RuntimeException.class, () -> WindowsDetectors.named(List.of("dsc"), UNTOUCHABLE,
                    FakeRunner.answering(1, ""), bad));
        }
    }

    @Test
    void powerShellQueriesGetTheDefaultTimeout() throws Exception {
        FakeRunner runner = FakeRunner.answering(0, "False");
        WindowsDetectors.named(List.of("dsc"), UNTOUCHABLE, runner).get(0).detect();
        assertEquals(WindowsDetectors.POWERSHELL_TIMEOUT, runner.timeouts.get(0));
    }

    @Test
    void buildingDetectorsReadsNothingAndRunsNothing() {
        FakeRunner runner = FakeRunner.answering(0, "True");
        WindowsDetectors.named(WindowsDetectors.ALL, UNTOUCHABLE, runner);
        assertTrue(runner.commands.isEmpty());
    }

    @Test
    void theRealRegistryIsRefusedOffWindows() {
        assumeFalse(System.getProperty("os.name", "").toLowerCase().startsWith("windows"));
        IllegalStateException e = assertThrows(IllegalStateException.class, Registry::localMachine);
        assertTrue(e.getMessage().contains("only readable on Windows"), e.getMessage());
    }

    @Test
    void powerShellIsFoundByItsFullPathWhenWindowsSaysWhere() {
        String exe = PowerShell.defaultExecutable();
        String systemRoot = System.getenv("SystemRoot");
        if (systemRoot == null) {
            assertEquals("powershell", exe);
        } else {
            assertTrue(exe.equals("powershell") || exe.startsWith(systemRoot), exe);
        }
    }

    @Test
    void aDetectorRereadsTheRegistryEveryTime() throws IOException, Exception {
        FakeRegistry registry = new FakeRegistry();
        PendingDetector cbs = WindowsDetectors.named(List.of("windows_cbs"), registry, FakeRunner.answering(1, ""))
                .get(0);
        assertTrue(cbs.detect().isEmpty());

        registry.key("SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending");

        assertTrue(cbs.detect().isPresent());
    }
}
