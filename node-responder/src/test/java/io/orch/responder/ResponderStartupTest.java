package io.orch.responder;

import static io.orch.responder.Fixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.EventType;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.responder.config.ResponderConfig;
import io.orch.responder.config.ResponderWiring;
import io.orch.responder.executor.RebootExecutor;
import io.orch.responder.executor.RebootPlan;
import io.orch.responder.journal.FileJournal;
import io.orch.responder.journal.JournalEntry;
import io.orch.responder.node.Responder;
import io.orch.responder.request.Delivery;
import io.orch.responder.request.Outcome;
import io.orch.responder.request.RequestLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a responder wired from its config says when it starts, and what it notes when it stops; no bus. */
class ResponderStartupTest {
    private static final String BOOT_ID = "5e4d3c2b-1a09-4f8e-9d7c-6b5a4f3e2d1c";

    @TempDir
    Path dir;

    private Path root;
    private Path state;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<RebootPlan> plans = new ArrayList<>();
    private final RebootExecutor executor = new RebootExecutor() {
        @Override
        public void reboot(RebootPlan plan) {
            plans.add(plan);
        }

        @Override
        public String describe(RebootPlan plan) {
            return "recorded";
        }
    };
    private final LogCapture log = LogCapture.of(RequestLog.LOG);

    @BeforeEach
    void fixture() {
        root = dir.resolve("root");
        state = dir.resolve("state");
        write(root, "etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
        write(root, "proc/sys/kernel/osrelease", "6.1.0-10-amd64\n");
        write(root, "proc/sys/kernel/random/boot_id", BOOT_ID + "\n");
        write(root, "proc/uptime", "120.00 200.00\n");
        log.clear();
    }

    private Responder responder() throws Exception {
        ResponderConfig config = new ResponderConfig("web01", null, null,
                new ResponderConfig.Facts(root.toString(), List.of()),
                new ResponderConfig.Pending(List.of("reboot_required")),
                new ResponderConfig.Reboot("command", null, null, null, null, List.of(), 0, 0, state.toString()), null);
        return ResponderWiring.responder(config, ResponderWiring.facts(config, Clock.systemUTC()), executor,
                Runnable::run, events::add, Clock.systemUTC(), TestTrust.shared().node("web01"));
    }

    private static JournalEntry promise(String bootId) {
        Instant now = Instant.now();
        return new JournalEntry("req-1", "alice", "jumphost", bootId, List.of(), 60, now.minusSeconds(600),
                now.minusSeconds(540), null);
    }

    private static List<EventType> types(List<Event> events) {
        return events.stream().map(Event::type).toList();
    }

    @Test
    void nothingPromisedStartsWithStartedAlone() throws Exception {
        List<Event> startup = responder().startupEvents();

        assertEquals(List.of(EventType.STARTED), types(startup));
        assertEquals(BOOT_ID, startup.get(0).bootId());
    }

    @Test
    void promiseFromTheBootBeforeIsStartedThenRebooted() throws Exception {
        new FileJournal(state).record(promise("old-boot"));

        List<Event> startup = responder().startupEvents();

        assertEquals(List.of(EventType.STARTED, EventType.REBOOTED), types(startup));
        assertEquals("req-1", startup.get(1).requestId());
        assertTrue(new FileJournal(state).pending().isEmpty());
        assertTrue(responder().startupEvents().size() == 1, "settled once: a second start says only started");
    }

    @Test
    void damagedJournalStillStartsAndLogsWhyItCannotSettle() throws Exception {
        Files.createDirectories(state);
        Files.writeString(state.resolve("pending-reboot.json"), "{\"request_id\":\"req-1\",\"boot_id\":");

        List<Event> startup = responder().startupEvents();

        assertEquals(List.of(EventType.STARTED), types(startup));
        assertTrue(log.contains("ERROR", "cannot settle the reboot journal", "pending-reboot.json"),
                log.lines().toString());
    }

    @Test
    void stoppingAfterTheRebootCommandRanNotesTheStopInTheJournal() throws Exception {
        write(root, "run/reboot-required", "");
        Responder responder = responder();
        Request reboot = Request.create("orch", Action.REBOOT, null, Map.of(), "tester", "junit", Instant.now(),
                Duration.ofSeconds(60));
        String signed = TestTrust.shared().operatorSealer().seal(io.orch.protocol.envelope.SecureEnvelope.Kind.REQUEST,
                new Codec().encodeInnerRequest(reboot.routed("web01", "ID:test-queue")));
        Outcome outcome = responder.handle(signed,
                new Delivery(reboot.id(), true, Delivery.ReplyTo.TEMPORARY_QUEUE, "ID:test-queue"));
        assertEquals(ReplyStatus.SCHEDULED, outcome.reply().status(), outcome.reply().message());
        outcome.afterReply().run(); // what the endpoint does once the broker has the reply
        assertEquals(1, plans.size());
        assertNull(new FileJournal(state).pending().orElseThrow().stoppedAt());

        responder.stopping();

        JournalEntry noted = new FileJournal(state).pending().orElseThrow();
        assertEquals(reboot.id(), noted.requestId());
        assertNotNull(noted.executedAt());
        assertNotNull(noted.stoppedAt());
    }
}
