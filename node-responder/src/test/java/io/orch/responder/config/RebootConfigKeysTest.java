package io.orch.responder.config;

import static io.orch.responder.Fixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.responder.executor.CommandRebootExecutor;
import io.orch.responder.executor.RebootExecutor;
import io.orch.responder.executor.RebootPlan;
import io.orch.responder.reboot.LockWait;
import io.orch.responder.reboot.RebootPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reboot keys of the node config that the journal, the lock wait, cancel and the loop guard use. */
class RebootConfigKeysTest {

    @TempDir
    Path dir;

    @Test
    void journalLockCancelAndIntervalKeysAreReadInSnakeCase() throws Exception {
        ResponderConfig config = ResponderConfig.load(write(dir, "responder.yaml", """
                reboot:
                  executor: command
                  cancel_command: [/usr/local/sbin/node-restart, --cancel, "{request_id}"]
                  lock_files: [/var/lib/puppet/state/agent_catalog_run.lock, /run/ansible.lock]
                  lock_wait_s: 600
                  min_interval_s: 3600
                  state_dir: /var/lib/orch-responder
                """));

        ResponderConfig.Reboot reboot = config.reboot();
        assertEquals(List.of("/usr/local/sbin/node-restart", "--cancel", "{request_id}"), reboot.cancelCommand());
        assertEquals(List.of("/var/lib/puppet/state/agent_catalog_run.lock", "/run/ansible.lock"), reboot.lockFiles());
        assertEquals(600, reboot.lockWaitS());
        assertEquals(3600, reboot.minIntervalS());
        assertEquals("/var/lib/orch-responder", reboot.stateDir());
        assertEquals(Path.of("/var/lib/orch-responder"), ResponderWiring.stateDir(config));
    }

    @Test
    void absentKeysMeanTheDefaultLocksHalfAnHourAndTheStateFolderBelowTheRoot() throws Exception {
        ResponderConfig config = ResponderConfig.load(write(dir, "responder.yaml",
                "facts:\n  root: /srv/node\nreboot:\n  executor: command\n"));

        ResponderConfig.Reboot reboot = config.reboot();
        assertNull(reboot.cancelCommand());
        assertEquals(LockWait.DEFAULT_LOCKS, reboot.lockFiles());
        assertEquals(1800, reboot.lockWaitS());
        assertEquals(1800, reboot.minIntervalS());
        assertNull(reboot.stateDir());
        assertEquals(Path.of("/srv/node/var/lib/orch"), ResponderWiring.stateDir(config));
    }

    @Test
    void emptyLockListMeansNoLocksAndBlankStateDirMeansTheDefault() throws Exception {
        ResponderConfig config = ResponderConfig.load(write(dir, "responder.yaml",
                "reboot:\n  lock_files: []\n  state_dir: ''\n"));

        assertEquals(List.of(), config.reboot().lockFiles());
        assertEquals(Path.of("/var/lib/orch"), ResponderWiring.stateDir(config));
    }

    @Test
    void policyTakesForceAndTheMinimumInterval() throws Exception {
        ResponderConfig.Reboot reboot = new ResponderConfig.Reboot("command", null, null, true, null, null, 5, 90,
                null);

        assertEquals(new RebootPolicy(true, Duration.ofSeconds(90)), ResponderWiring.policy(reboot));
    }

    @Test
    void negativeLockWaitOrIntervalIsRefusedNamingTheKey() {
        ConfigException wait = assertThrows(ConfigException.class, () -> ResponderWiring.policy(
                new ResponderConfig.Reboot(null, null, null, null, null, null, -1, null, null)));
        ConfigException interval = assertThrows(ConfigException.class, () -> ResponderWiring.policy(
                new ResponderConfig.Reboot(null, null, null, null, null, null, null, -5, null)));

        assertEquals("reboot.lock_wait_s must be 0 or more, got -1", wait.getMessage());
        assertEquals("reboot.min_interval_s must be 0 or more, got -5", interval.getMessage());
    }

    @Test
    void responderWiredWithANegativeIntervalIsAnIllegalArgument() {
        ResponderConfig config = new ResponderConfig("web01", null, null, null, null,
                new ResponderConfig.Reboot(null, null, null, null, null, null, null, -5, null), null);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResponderWiring.responder(config, null, null, Runnable::run, event -> { }, null,
                        null));
        assertTrue(e.getMessage().contains("min_interval_s"), e.getMessage());
    }

    @Test
    void configuredCancelCommandIsWhatTheCommandExecutorRunsToCancel() throws Exception {
        Path args = dir.resolve("args");
        Path cancel = dir.resolve("cancel.sh");
        Files.writeString(cancel, "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + args + "'\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(cancel, PosixFilePermissions.fromString("rwx------"));
        RebootExecutor executor = ResponderWiring.executor(new ResponderConfig.Reboot("command", List.of("/bin/true"),
                null, null, List.of(cancel.toString(), "{request_id}"), null, null, null, null));

        executor.cancel(new RebootPlan("req-7", Duration.ofSeconds(60), "", List.of()));

        assertTrue(executor instanceof CommandRebootExecutor);
        assertEquals(List.of("req-7"), Files.readAllLines(args));
    }

    @Test
    void emptyCancelCommandInTheFileFallsBackToShutdownMinusC() throws Exception {
        ResponderConfig config = ResponderConfig.load(write(dir, "responder.yaml",
                "reboot:\n  executor: command\n  cancel_command: []\n"));

        assertNull(config.reboot().cancelCommand());
        ResponderWiring.executor(config.reboot()); // valid: the default is used
    }
}
