package io.orch.responder.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cancel command of the command executor, run as a harmless script that records its arguments. */
class CommandRebootCancelTest {

    @TempDir
    Path dir;

    private Path script(String name, String body) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private static RebootPlan plan() {
        return new RebootPlan("req-42", Duration.ofSeconds(120), "patch night", List.of("reboot_required"));
    }

    @Test
    void cancelRunsTheCancelCommandWithPlaceholdersFilledAndNotTheRebootCommand() throws Exception {
        Path rebootRan = dir.resolve("reboot-ran");
        Path cancelArgs = dir.resolve("cancel-args");
        Path reboot = script("reboot.sh", "touch '" + rebootRan + "'");
        Path cancel = script("cancel.sh", "for a in \"$@\"; do printf '%s\\n' \"$a\"; done > '" + cancelArgs + "'");
        CommandRebootExecutor executor = new CommandRebootExecutor(List.of(reboot.toString()),
                List.of(cancel.toString(), "-c", "cancelled {request_id} ({message}, {delay_min} min)"), 10);

        executor.cancel(plan());

        assertEquals(List.of("-c", "cancelled req-42 (patch night, 2 min)"), Files.readAllLines(cancelArgs));
        assertFalse(Files.exists(rebootRan));
    }

    @Test
    void cancelCommandThatFailsIsARebootExceptionNamingTheCancelCommand() throws Exception {
        Path cancel = script("cancel.sh", "echo 'No scheduled shutdown' >&2; exit 1");
        CommandRebootExecutor executor = new CommandRebootExecutor(List.of("/bin/true"), List.of(cancel.toString()), 10);

        RebootException e = assertThrows(RebootException.class, () -> executor.cancel(plan()));

        assertTrue(e.getMessage().startsWith("cancel command exited 1: "), e.getMessage());
        assertTrue(e.getMessage().endsWith(": No scheduled shutdown"), e.getMessage());
    }

    @Test
    void defaultCancelIsShutdownMinusC() {
        assertEquals(List.of("shutdown", "-c", "orch: reboot cancelled"), CommandRebootExecutor.LINUX_CANCEL);
    }

    @Test
    void emptyCancelCommandIsRefusedAtStart() {
        for (List<String> empty : Arrays.asList(null, List.<String>of(), List.of(" "))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new CommandRebootExecutor(List.of("/bin/true"), empty, 10));
            assertEquals("reboot cancel command is empty; set reboot.cancel_command", e.getMessage());
        }
    }

    @Test
    void loggingExecutorCancelsNothingAndSaysSo() throws Exception {
        LoggingRebootExecutor executor = new LoggingRebootExecutor(new CommandRebootExecutor(List.of("/bin/true"),
                10));

        executor.cancel(plan()); // nothing to cancel, and nothing thrown
    }

    @Test
    void executorWithoutCancelSupportRefusesToCancel() {
        RebootExecutor noCancel = new RebootExecutor() {
            @Override
            public void reboot(RebootPlan plan) {
            }

            @Override
            public String describe(RebootPlan plan) {
                return "";
            }
        };

        RebootException e = assertThrows(RebootException.class, () -> noCancel.cancel(plan()));
        assertTrue(e.getMessage().contains("cannot cancel"), e.getMessage());
    }
}
