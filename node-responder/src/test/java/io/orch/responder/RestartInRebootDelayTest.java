package io.orch.responder;

import static io.orch.responder.BusClient.eventually;
import static io.orch.responder.Fixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.EventType;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.responder.journal.FileJournal;
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
 * A responder killed (SIGKILL: a crash, the OOM killer) inside the delay of a reboot it already handed
 * to the OS, and started again, as systemd does. The reboot command is a harmless script that plays
 * {@code shutdown -r +N}: it only notes the scheduled reboot in a file, which the cancel script removes
 * ({@code shutdown -c}). The test plays the OS: the "boot" gives the fixture a new boot id.
 *
 * <p>Whatever happens, the node tells one story: the OS reboot was cancelled and {@code reboot_interrupted}
 * was reported, or it happened and {@code rebooted} was reported; never both, never neither.
 */
class RestartInRebootDelayTest {
    private static final String BOOT_A = "aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa";
    private static final String BOOT_B = "bbbbbbbb-2222-4222-8222-bbbbbbbbbbbb";

    @TempDir
    Path dir;

    private BrokerService broker;
    private BusClient client;
    private String brokerUrl;
    private Path root;
    private Path state;
    private Path config;
    /** The simulated OS's scheduled reboot: present from {@code shutdown -r +N} until cancelled or done. */
    private Path osScheduled;
    private Path cancelScript;
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> outputs = new ArrayList<>();

    @BeforeEach
    void brokerFixtureAndConfig() throws Exception {
        broker = BusClient.startBroker("restart-in-delay-test");
        brokerUrl = BusClient.url(broker);
        client = BusClient.connect(brokerUrl);
        root = dir.resolve("root");
        state = dir.resolve("state");
        osScheduled = dir.resolve("os-scheduled-reboot");
        write(root, "etc/os-release", "NAME=\"Debian GNU/Linux\"\nID=debian\nVERSION_ID=\"12\"\n");
        write(root, "proc/sys/kernel/osrelease", "6.1.0-10-amd64\n");
        write(root, "proc/sys/kernel/random/boot_id", BOOT_A + "\n");
        write(root, "proc/uptime", "86400.00 170000.00\n");
        write(root, "boot/vmlinuz-6.1.0-10-amd64", "");
        write(root, "run/reboot-required", "*** System restart required ***\n");
        write(root, "run/reboot-required.pkgs", "libc6\n");

        Path shutdown = script("fake-shutdown.sh", String.join("\n",
                "#!/bin/bash",
                "# Plays 'shutdown -r +N': notes the reboot the OS would make, returns at once. Never touches the machine.",
                "printf '%s %s\\n' \"$1\" \"$2\" > " + quote(osScheduled),
                "exit 0", ""));
        cancelScript = script("fake-cancel.sh", String.join("\n",
                "#!/bin/bash",
                "# Plays 'shutdown -c': fails when no reboot is scheduled, as systemd's does not, to be strict.",
                "[ -f " + quote(osScheduled) + " ] || { echo 'no scheduled reboot' >&2; exit 1; }",
                "rm -f " + quote(osScheduled),
                "exit 0", ""));
        config = dir.resolve("responder.yaml");
        Files.writeString(config, String.join("\n",
                "identity: node1",
                "facts:",
                "  root: " + quote(root),
                "pending:",
                "  detectors: [reboot_required]",
                "reboot:",
                "  executor: command",
                "  command: [" + quote(shutdown) + ", '{request_id}', '{delay_s}']",
                "  cancel_command: [" + quote(cancelScript) + "]",
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

    private void started(String bootId, int times) {
        eventually().until(() -> client.events(EventType.STARTED).stream()
                .filter(e -> e.node().equals("node1") && e.bootId().equals(bootId)).count() >= times);
    }

    private Reply ask(Action action, Map<String, Object> params) throws Exception {
        return client.ask("orch.node.node1", request(action, params));
    }

    /**
     * Schedules a reboot in 60 s, waits until the responder has handed it to the (simulated) OS, and
     * kills the responder the hard way, inside the delay.
     */
    private String rebootHandedToTheOsThenKilled() throws Exception {
        return rebootHandedToTheOsThenKilled(BOOT_A);
    }

    /** @param bootId the boot id the fixture gives the node ("" when it has none) */
    private String rebootHandedToTheOsThenKilled(String bootId) throws Exception {
        Process first = startResponder();
        started(bootId, 1);
        Reply scheduled = ask(Action.REBOOT, Map.of("delay_s", 60));
        assertEquals(ReplyStatus.SCHEDULED, scheduled.status(), scheduled.message());
        String id = scheduled.requestId();
        client.event(EventType.REBOOTING, id);
        eventually().until(() -> Files.exists(osScheduled)
                && new FileJournal(state).pending().map(e -> e.executedAt() != null).orElse(false));
        first.destroyForcibly(); // SIGKILL: no shutdown hook, nothing noted on the way out
        assertTrue(first.waitFor(60, TimeUnit.SECONDS));
        assertTrue(Files.exists(osScheduled), "the OS reboot outlives the responder that asked for it");
        return id;
    }

    /** The one story, whichever it is: exactly one of the two outcomes, each with its matching fact. */
    private void assertOneStory(String id, boolean osRebooted) {
        boolean rebooted = client.events(EventType.REBOOTED).stream().anyMatch(e -> e.requestId().equals(id));
        boolean interrupted = client.events(EventType.REBOOT_INTERRUPTED).stream()
                .anyMatch(e -> e.requestId().equals(id));
        assertTrue(rebooted != interrupted, "rebooted " + rebooted + ", interrupted " + interrupted + ": "
                + client.events);
        if (rebooted) {
            assertTrue(osRebooted, "rebooted reported, but the OS did not reboot");
        } else {
            assertFalse(osRebooted, "reboot_interrupted reported, but the OS rebooted");
            assertFalse(Files.exists(osScheduled), "reboot_interrupted reported, but the OS reboot is still scheduled");
        }
    }

    @Test
    void responderKilledInTheDelayCancelsTheOsRebootAndReportsRebootInterrupted() throws Throwable {
        try {
            String id = rebootHandedToTheOsThenKilled();

            startResponder(); // systemd's Restart=always, on the same boot

            Event interrupted = client.event(EventType.REBOOT_INTERRUPTED, id);
            assertEquals(BOOT_A, interrupted.bootId());
            assertTrue(WireData.of(interrupted).get("message").toString().contains("the reboot was cancelled"),
                    WireData.of(interrupted).toString());
            assertFalse(Files.exists(osScheduled), "the OS reboot was cancelled");
            assertFalse(Files.exists(state.resolve("pending-reboot.json")), "the promise is settled");
            Reply status = ask(Action.STATUS, null);
            assertNull(WireData.of(status).get("reboot_underway"), WireData.of(status).toString());
            Reply cancel = ask(Action.CANCEL, Map.of("request_id", id));
            assertEquals(ReplyStatus.NOOP, cancel.status(), cancel.message());
            assertEquals("no reboot is scheduled on this node", cancel.message());
            assertOneStory(id, false);
        } catch (Throwable t) {
            printOutputs();
            throw t;
        }
    }

    @Test
    void responderKilledInTheDelayThatCannotCancelKeepsThePromiseAndReportsRebootedAfterBoot() throws Throwable {
        try {
            String id = rebootHandedToTheOsThenKilled();
            // logind unreachable, say: the cancel fails, so the OS reboot stands.
            Files.writeString(cancelScript, "#!/bin/bash\necho 'Failed to talk to logind' >&2\nexit 1\n");

            Process second = startResponder();
            started(BOOT_A, 2);

            Reply status = ask(Action.STATUS, null);
            assertEquals(id, WireData.of(status).get("reboot_underway"), WireData.of(status).toString());
            Reply another = ask(Action.REBOOT, Map.of("delay_s", 60));
            assertEquals(ReplyStatus.DENIED, another.status(), another.message());
            Reply cancel = ask(Action.CANCEL, Map.of("request_id", id));
            assertEquals(ReplyStatus.FAILED, cancel.status(), cancel.message());
            assertTrue(cancel.message().startsWith("could not cancel: cancel command exited 1"), cancel.message());
            assertTrue(client.events(EventType.REBOOT_INTERRUPTED).isEmpty(), client.events.toString());
            assertTrue(Files.exists(osScheduled), "the OS reboot still stands");

            // The OS keeps its word: the machine goes down (systemd stops the service) and boots.
            Files.delete(osScheduled);
            stop(second);
            write(root, "proc/sys/kernel/random/boot_id", BOOT_B + "\n");
            Files.delete(root.resolve("run/reboot-required"));
            startResponder();

            Event rebooted = client.event(EventType.REBOOTED, id);
            assertEquals(BOOT_A, WireData.of(rebooted).get("old_boot_id"));
            assertEquals(BOOT_B, WireData.of(rebooted).get("new_boot_id"));
            started(BOOT_B, 1);
            assertNotNull(new FileJournal(state).last().orElseThrow());
            assertEquals(id, new FileJournal(state).last().orElseThrow().requestId(),
                    "the loop guard and min_interval_s see the reboot");
            assertOneStory(id, true);
        } catch (Throwable t) {
            printOutputs();
            throw t;
        }
    }

    @Test
    void nodeWithoutABootIdKilledInTheDelayWhoseRebootThenHappensReportsRebooted() throws Throwable {
        try {
            // No boot id, as on a system without /proc/sys/kernel/random/boot_id: "" before and "" after.
            Files.delete(root.resolve("proc/sys/kernel/random/boot_id"));
            String id = rebootHandedToTheOsThenKilled("");
            Instant handedOver = new FileJournal(state).pending().orElseThrow().executedAt();

            // The OS keeps its word before systemd brings the responder back: the machine boots, after the
            // handover (the boot time is kept to whole seconds, so the boot comes at least 2 s after it).
            Files.delete(osScheduled);
            eventually().until(() -> Instant.now().isAfter(handedOver.plusSeconds(2)));
            write(root, "proc/uptime", "0.50 0.90\n");
            Files.delete(root.resolve("run/reboot-required"));
            startResponder();

            Event rebooted = client.event(EventType.REBOOTED, id);
            assertEquals("", WireData.of(rebooted).get("new_boot_id"));
            assertEquals(id, new FileJournal(state).last().orElseThrow().requestId(),
                    "the loop guard and min_interval_s see the reboot");
            Reply status = ask(Action.STATUS, null);
            assertNull(WireData.of(status).get("reboot_underway"), WireData.of(status).toString());
            assertOneStory(id, true);
        } catch (Throwable t) {
            printOutputs();
            throw t;
        }
    }
}
