package io.orch.responder;

import static io.orch.responder.BusClient.eventually;
import static io.orch.responder.Fixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.EventType;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.responder.journal.FileJournal;
import io.orch.responder.journal.JournalEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.broker.BrokerService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The responder as its own OS process, restarted the way systemd restarts it after a reboot.
 * Its reboot command is a harmless script that plays the reboot: it gives the fixture a new boot
 * id, clears the pending flag and stops the responder. The test then starts the responder again
 * and checks what the node says once it is back, and that it does not reboot a second time.
 */
class RebootAcrossProcessRestartTest {
    private static final String BOOT_A = "aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa";
    private static final String BOOT_B = "bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb";

    @TempDir
    Path dir;

    private BrokerService broker;
    private String brokerUrl;
    private BusClient client;
    private Path root;
    private Path state;
    private Path counter;
    private Path config;
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> outputs = new ArrayList<>();

    @BeforeEach
    void brokerFixtureAndConfig() throws Exception {
        broker = BusClient.startBroker("process-restart-test");
        brokerUrl = BusClient.url(broker);
        client = BusClient.connect(brokerUrl);

        root = dir.resolve("root");
        state = dir.resolve("state");
        counter = dir.resolve("reboots.txt");
        write(root, "etc/os-release", "NAME=\"Debian GNU/Linux\"\nID=debian\nVERSION_ID=\"12\"\n");
        write(root, "proc/sys/kernel/osrelease", "6.1.0-10-amd64\n");
        write(root, "proc/sys/kernel/random/boot_id", BOOT_A + "\n");
        write(root, "proc/uptime", "86400.00 170000.00\n");
        write(root, "boot/vmlinuz-6.1.0-10-amd64", "");
        write(root, "run/reboot-required", "*** System restart required ***\n");
        write(root, "run/reboot-required.pkgs", "libc6\n");

        Path reboot = script("fake-reboot.sh", String.join("\n",
                "#!/bin/bash",
                "# Plays a reboot: a new boot id, the flag gone, the responder stopped. Never touches the machine.",
                "parent=$PPID",
                "printf '%s\\n' \"$1\" >> " + quote(counter),
                "printf '%s\\n' " + BOOT_B + " > " + quote(root.resolve("proc/sys/kernel/random/boot_id")),
                "rm -f " + quote(root.resolve("run/reboot-required")) + " "
                        + quote(root.resolve("run/reboot-required.pkgs")),
                "( sleep 1; kill -TERM \"$parent\" ) </dev/null >/dev/null 2>&1 &",
                "exit 0", ""));
        Path cancel = script("fake-cancel.sh", "#!/bin/bash\nexit 0\n");
        config = dir.resolve("responder.yaml");
        Files.writeString(config, String.join("\n",
                "identity: node1",
                "facts:",
                "  root: " + quote(root),
                "pending:",
                "  detectors: [reboot_required, kernel_update]",
                "reboot:",
                "  executor: command",
                "  command: [" + quote(reboot) + ", '{request_id}']",
                "  cancel_command: [" + quote(cancel) + "]",
                "  command_timeout_s: 30",
                "  min_interval_s: 0",
                "  lock_files: []",
                "  state_dir: " + quote(state),
                "security:",
                "  ssl_dir: " + quote(TestTrust.shared().writeSslDir(dir.resolve("ssl"), "node1")),
                "policy_file: " + quote(TestTrust.shared().policyFile()),
                ""), StandardCharsets.UTF_8);
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (Process p : processes) {
            stop(p);
        }
        client.close();
        BusClient.stopAndCheck(broker);
    }

    private static String quote(Path path) {
        return "'" + path.toString().replace("'", "'\\''") + "'";
    }

    private Path script(String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, body, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    /** Starts the responder as a node runs it: its own JVM, the config file, the broker URL. */
    private Process startResponder() throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path output = dir.resolve("responder-" + (outputs.size() + 1) + ".log");
        outputs.add(output);
        Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "io.orch.responder.main.ResponderMain", "--config", config.toString(), "--broker", brokerUrl)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        processes.add(process);
        process.getOutputStream().close();
        return process;
    }

    private static void stop(Process process) throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private void printOutputs() {
        for (Path output : outputs) {
            System.err.println("---------- " + output.getFileName());
            try {
                System.err.println(Files.readString(output, StandardCharsets.UTF_8));
            } catch (IOException e) {
                System.err.println("(cannot read: " + e + ")");
            }
        }
    }

    private static Request request(Action action, Map<String, Object> params) {
        return Request.create("orch", action, null, params, "tester", "junit", Instant.now(), Duration.ofSeconds(60));
    }

    private Event started(String bootId) {
        return eventually().until(() -> client.events(EventType.STARTED).stream()
                .filter(e -> e.node().equals("node1") && e.bootId().equals(bootId)).findFirst(),
                Optional::isPresent).orElseThrow();
    }

    private List<String> reboots() throws IOException {
        return Files.exists(counter) ? Files.readAllLines(counter, StandardCharsets.UTF_8) : List.of();
    }

    @Test
    void rebootPromisedBeforeARestartIsReportedRebootedAfterItAndNeverRunAgain() throws Throwable {
        try {
            Process first = startResponder();
            started(BOOT_A);

            Reply scheduled = client.ask("orch.node.node1", request(Action.REBOOT, Map.of("delay_s", 0)));
            assertEquals(ReplyStatus.SCHEDULED, scheduled.status(), scheduled.message());
            String id = scheduled.requestId();
            client.event(EventType.REBOOTING, id);

            // systemd's part: the service stops with the machine ...
            assertTrue(first.waitFor(60, TimeUnit.SECONDS), "the fake reboot stopped the responder");
            assertEquals(List.of(id), reboots());
            JournalEntry promised = new FileJournal(state).pending().orElseThrow();
            assertEquals(id, promised.requestId());
            assertEquals(BOOT_A, promised.bootId());
            assertNotNull(promised.executedAt());
            assertNotNull(promised.stoppedAt(), "the stop was noted on the way down, for the downtime");

            // ... and starts it again after boot.
            Process second = startResponder();

            Event rebooted = client.event(EventType.REBOOTED, id);
            assertEquals("node1", rebooted.node());
            assertEquals(BOOT_B, rebooted.bootId());
            assertEquals(BOOT_A, WireData.of(rebooted).get("old_boot_id"));
            assertEquals(BOOT_B, WireData.of(rebooted).get("new_boot_id"));
            assertEquals(false, WireData.of(rebooted).get("pending"));
            assertEquals(false, WireData.of(rebooted).get("loop_suspected"));
            assertTrue(((Number) WireData.of(rebooted).get("downtime_s")).doubleValue() >= 0, WireData.of(rebooted).toString());
            started(BOOT_B);
            assertFalse(Files.exists(state.resolve("pending-reboot.json")), "the promise is settled");
            assertEquals(id, new FileJournal(state).last().orElseThrow().requestId());

            Reply pong = client.ask("orch.node.node1", request(Action.PING, null));
            assertEquals(ReplyStatus.OK, pong.status(), pong.message());
            assertEquals(BOOT_B, WireData.of(pong).get("boot_id"));
            assertTrue(second.isAlive());
            assertEquals(List.of(id), reboots(), "rebooted exactly once");
            assertEquals(1, client.events(EventType.REBOOTED).size(), client.events.toString());
            assertTrue(client.events(EventType.REBOOT_INTERRUPTED).isEmpty(), client.events.toString());
            assertEquals(1, client.events(EventType.REBOOTING).size(), client.events.toString());
        } catch (Throwable t) {
            printOutputs();
            throw t;
        } finally {
            for (Process p : processes) {
                stop(p);
            }
        }
    }

    @Test
    void responderStoppedBeforeTheRebootCommandRanReportsRebootInterruptedAndDoesNotReboot() throws Throwable {
        // A config run holds its lock, so the promise waits; then the service is restarted without a reboot.
        Files.writeString(config, Files.readString(config).replace("lock_files: []",
                "lock_files: [/var/lib/puppet/state/agent_catalog_run.lock]\n  lock_wait_s: 600"));
        write(root, "var/lib/puppet/state/agent_catalog_run.lock", "4242\n");
        try {
            Process first = startResponder();
            started(BOOT_A);
            Reply scheduled = client.ask("orch.node.node1", request(Action.REBOOT, Map.of("delay_s", 0)));
            assertEquals(ReplyStatus.SCHEDULED, scheduled.status(), scheduled.message());
            String id = scheduled.requestId();
            eventually().until(() -> new FileJournal(state).pending().isPresent());

            first.destroy(); // SIGTERM: systemctl restart
            assertTrue(first.waitFor(60, TimeUnit.SECONDS));
            Files.delete(root.resolve("var/lib/puppet/state/agent_catalog_run.lock"));
            startResponder();

            Event interrupted = client.event(EventType.REBOOT_INTERRUPTED, id);
            assertEquals(BOOT_A, interrupted.bootId());
            Reply pong = client.ask("orch.node.node1", request(Action.PING, null));
            assertEquals(ReplyStatus.OK, pong.status(), pong.message());
            assertEquals(List.of(), reboots(), "an interrupted promise is never carried out by itself");
            assertTrue(client.events(EventType.REBOOTING).isEmpty(), client.events.toString());
            assertFalse(Files.exists(state.resolve("pending-reboot.json")));
        } catch (Throwable t) {
            printOutputs();
            throw t;
        } finally {
            for (Process p : processes) {
                stop(p);
            }
        }
    }
}
