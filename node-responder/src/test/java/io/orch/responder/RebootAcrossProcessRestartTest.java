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
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.EventType;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.responder.journal.FileJournal;
import io.orch.responder.journal.JournalEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private ResponderProcesses responders;

    @BeforeEach
    void brokerFixtureAndConfig() throws Exception {
        broker = BusClient.startBroker("process-restart-test");
        brokerUrl = BusClient.url(broker);
        client = BusClient.connect(brokerUrl);

        root = dir.resolve("root");
        state = dir.resolve("state");
        counter = dir.resolve("reboots.txt");
        ResponderProcesses.debianNeedingReboot(root, BOOT_A);

        Path reboot = script(dir, "fake-reboot.sh", String.join("\n",
                "#!/bin/bash",
                "# Plays a reboot: a new boot id, the flag gone, the responder stopped. Never touches the machine.",
                "parent=$PPID",
                "printf '%s\\n' \"$1\" >> " + quote(counter),
                "printf '%s\\n' " + BOOT_B + " > " + quote(root.resolve("proc/sys/kernel/random/boot_id")),
                "rm -f " + quote(root.resolve("run/reboot-required")) + " "
                        + quote(root.resolve("run/reboot-required.pkgs")),
                "( sleep 1; kill -TERM \"$parent\" ) </dev/null >/dev/null 2>&1 &",
                "exit 0", ""));
        Path cancel = script(dir, "fake-cancel.sh", "#!/bin/bash\nexit 0\n");
        config = dir.resolve("responder.yaml");
        ResponderProcesses.writeConfig(config, dir, root, state, "reboot_required, kernel_update",
                quote(reboot) + ", '{request_id}'", cancel);
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
            Process first = responders.start();
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
            Process second = responders.start();

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
            // On the registry: up, going down for the reboot (still expected back), up again on the new boot.
            eventually().until(() -> client.announcements.size() >= 3);
            assertEquals(List.of("up " + BOOT_A, "rebooting " + BOOT_A, "up " + BOOT_B), client.announcements.stream()
                    .map(a -> a.state().wireName() + " " + a.bootId()).toList());
        } catch (Throwable t) {
            responders.printOutputs();
            throw t;
        } finally {
            responders.stopAll();
        }
    }

    @Test
    void responderStoppedBeforeTheRebootCommandRanReportsRebootInterruptedAndDoesNotReboot() throws Throwable {
        // A config run holds its lock, so the promise waits; then the service is restarted without a reboot.
        Files.writeString(config, Files.readString(config).replace("lock_files: []",
                "lock_files: [/var/lib/puppet/state/agent_catalog_run.lock]\n  lock_wait_s: 600"));
        write(root, "var/lib/puppet/state/agent_catalog_run.lock", "4242\n");
        try {
            Process first = responders.start();
            started(BOOT_A);
            Reply scheduled = client.ask("orch.node.node1", request(Action.REBOOT, Map.of("delay_s", 0)));
            assertEquals(ReplyStatus.SCHEDULED, scheduled.status(), scheduled.message());
            String id = scheduled.requestId();
            eventually().until(() -> new FileJournal(state).pending().isPresent());

            first.destroy(); // SIGTERM: systemctl restart
            assertTrue(first.waitFor(60, TimeUnit.SECONDS));
            Files.delete(root.resolve("var/lib/puppet/state/agent_catalog_run.lock"));
            responders.start();

            Event interrupted = client.event(EventType.REBOOT_INTERRUPTED, id);
            assertEquals(BOOT_A, interrupted.bootId());
            Reply pong = client.ask("orch.node.node1", request(Action.PING, null));
            assertEquals(ReplyStatus.OK, pong.status(), pong.message());
            assertEquals(List.of(), reboots(), "an interrupted promise is never carried out by itself");
            assertTrue(client.events(EventType.REBOOTING).isEmpty(), client.events.toString());
            assertFalse(Files.exists(state.resolve("pending-reboot.json")));
            // Nothing was handed to the OS: a plain stop, then up again on the same boot.
            eventually().until(() -> client.announcements.size() >= 3);
            assertEquals(List.of("up " + BOOT_A, "stopped " + BOOT_A, "up " + BOOT_A), client.announcements.stream()
                    .map(a -> a.state().wireName() + " " + a.bootId()).toList());
        } catch (Throwable t) {
            responders.printOutputs();
            throw t;
        } finally {
            responders.stopAll();
        }
    }
}
