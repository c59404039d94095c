package io.orch.responder;

import static io.orch.responder.BusClient.eventually;
import static io.orch.responder.Fixture.write;
import static io.orch.responder.ResponderProcesses.quote;
import static io.orch.responder.ResponderProcesses.request;
import static io.orch.responder.ResponderProcesses.script;
import static io.orch.responder.ResponderProcesses.stop;
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
import io.orch.responder.journal.FileJournal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
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
    private ResponderProcesses responders;

    @BeforeEach
    void brokerFixtureAndConfig() throws Exception {
        broker = BusClient.startBroker("restart-in-delay-test");
        brokerUrl = BusClient.url(broker);
        client = BusClient.connect(brokerUrl);
        root = dir.resolve("root");
        state = dir.resolve("state");
        osScheduled = dir.resolve("os-scheduled-reboot");
        ResponderProcesses.debianNeedingReboot(root, BOOT_A);

        Path shutdown = script(dir, "fake-shutdown.sh", String.join("\n",
                "#!/bin/bash",
                "# Plays 'shutdown -r +N': notes the reboot the OS would make, returns at once. Never touches the machine.",
                "printf '%s %s\\n' \"$1\" \"$2\" > " + quote(osScheduled),
                "exit 0", ""));
        cancelScript = script(dir, "fake-cancel.sh", String.join("\n",
                "#!/bin/bash",
                "# Plays 'shutdown -c': fails when no reboot is scheduled, as systemd's does not, to be strict.",
                "[ -f " + quote(osScheduled) + " ] || { echo 'no scheduled reboot' >&2; exit 1; }",
                "rm -f " + quote(osScheduled),
                "exit 0", ""));
        config = dir.resolve("responder.yaml");
        ResponderProcesses.writeConfig(config, dir, root, state, "reboot_required",
                quote(shutdown) + ", '{request_id}', '{delay_s}'", cancelScript);
        responders = new ResponderProcesses(dir, config, brokerUrl);
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (responders != null) {
            responders.stopAll();
        }
        client.close();
        BusClient.stopAndCheck(broker);
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
        Process first = responders.start();
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

            responders.start(); // systemd's Restart=always, on the same boot

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
            responders.printOutputs();
            throw t;
        }
    }

    @Test
    void responderKilledInTheDelayThatCannotCancelKeepsThePromiseAndReportsRebootedAfterBoot() throws Throwable {
        try {
            String id = rebootHandedToTheOsThenKilled();
            // logind unreachable, say: the cancel fails, so the OS reboot stands.
            Files.writeString(cancelScript, "#!/bin/bash\necho 'Failed to talk to logind' >&2\nexit 1\n");

            Process second = responders.start();
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
            responders.start();

            Event rebooted = client.event(EventType.REBOOTED, id);
            assertEquals(BOOT_A, WireData.of(rebooted).get("old_boot_id"));
            assertEquals(BOOT_B, WireData.of(rebooted).get("new_boot_id"));
            started(BOOT_B, 1);
            assertNotNull(new FileJournal(state).last().orElseThrow());
            assertEquals(id, new FileJournal(state).last().orElseThrow().requestId(),
                    "the loop guard and min_interval_s see the reboot");
            assertOneStory(id, true);
        } catch (Throwable t) {
            responders.printOutputs();
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
            responders.start();

            Event rebooted = client.event(EventType.REBOOTED, id);
            assertEquals("", WireData.of(rebooted).get("new_boot_id"));
            assertEquals(id, new FileJournal(state).last().orElseThrow().requestId(),
                    "the loop guard and min_interval_s see the reboot");
            Reply status = ask(Action.STATUS, null);
            assertNull(WireData.of(status).get("reboot_underway"), WireData.of(status).toString());
            assertOneStory(id, true);
        } catch (Throwable t) {
            responders.printOutputs();
            throw t;
        }
    }
}
