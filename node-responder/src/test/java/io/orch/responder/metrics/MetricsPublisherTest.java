package io.orch.responder.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.responder.config.ResponderConfig;
import io.orch.responder.config.ResponderWiring;
import io.orch.responder.journal.FileJournal;
import io.orch.responder.journal.LastReboot;
import io.orch.responder.state.StateFolder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's metrics file and endpoint, from a fixture tree's detectors and a real journal in a state folder. */
class MetricsPublisherTest {
    private static final Instant NOW = Instant.parse("2026-12-02T05:00:00Z");

    @TempDir
    Path dir;
    private Path root;
    private Path state;
    private Path file;

    @BeforeEach
    void fixture() throws Exception {
        root = dir.resolve("root");
        state = dir.resolve("state");
        file = dir.resolve("textfile").resolve("orch.prom");
        Files.createDirectories(file.getParent());
        write("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
        write("proc/sys/kernel/osrelease", "6.1.0-10-amd64\n");
        write("proc/sys/kernel/random/boot_id", "b0b0b0b0-0000-4000-8000-000000000001\n");
        write("proc/uptime", "120.00 200.00\n");
    }

    private void write(String path, String text) throws Exception {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private NodeMetrics metrics(Clock clock) throws Exception {
        ResponderConfig config = new ResponderConfig("web01", null, null,
                new ResponderConfig.Facts(root.toString(), List.of()),
                new ResponderConfig.Pending(List.of("reboot_required")),
                new ResponderConfig.Reboot("log", null, null, null, null, List.of(), 0, 3600, state.toString()), null);
        StateFolder folder = ResponderWiring.stateFolder(config);
        return new NodeMetrics(ResponderWiring.facts(config, clock), new FileJournal(folder), Duration.ofHours(1),
                folder, clock);
    }

    @Test
    void aPendingNodeSaysSoWithItsReasonAndSinceWhenInAFileNodeExporterCanRead() throws Exception {
        write("run/reboot-required", "*** System restart required ***\n");
        try (MetricsPublisher publisher = MetricsPublisher.start(metrics(Clock.fixed(NOW, ZoneOffset.UTC)), file, null,
                60, "0.1.0")) {
            String text = Files.readString(file);

            assertTrue(text.contains("# TYPE orch_reboot_pending gauge\n"), text);
            assertTrue(text.contains("\norch_reboot_pending 1.0\n"), text);
            assertTrue(text.contains("orch_reboot_pending_reason{reason=\"reboot_required\"} 1.0\n"), text);
            assertTrue(text.contains("orch_reboot_pending_since_timestamp_seconds 1.7961876E9\n"), text);
            assertTrue(text.contains("orch_loop_guard{state=\"clear\"} 1.0\n"), text);
            assertTrue(text.contains("orch_loop_guard{state=\"loop_suspected\"} 0.0\n"), text);
            assertTrue(text.contains("orch_responder_info{identity=\"web01\",version=\"0.1.0\"} 1.0\n"), text);
            assertTrue(text.contains("orch_fact_errors 0.0\n"), text);
            assertFalse(text.contains("orch_last_reboot_timestamp_seconds"), "no reboot yet: " + text);
            assertFalse(text.contains("orch_last_request_timestamp_seconds"), "no request yet: " + text);
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals(text, publisher.last());
            try (var leftovers = Files.list(file.getParent())) {
                assertEquals(List.of(file), leftovers.toList(), "only the file, no temporary one left");
            }
        }
    }

    @Test
    void sinceWhenSurvivesARestartOfTheResponderAndIsForgottenOnceTheNodeIsClear() throws Exception {
        write("run/reboot-required", "*** System restart required ***\n");
        metrics(Clock.fixed(NOW, ZoneOffset.UTC)).snapshot();

        NodeSnapshot later = metrics(Clock.fixed(NOW.plus(Duration.ofDays(8)), ZoneOffset.UTC)).snapshot();
        assertEquals(NOW, later.pendingSince(), "a new responder (an upgrade) keeps the time it became pending");

        Files.delete(root.resolve("run/reboot-required"));
        NodeSnapshot clear = metrics(Clock.fixed(NOW.plus(Duration.ofDays(9)), ZoneOffset.UTC)).snapshot();
        assertEquals(null, clear.pendingSince());
        assertFalse(Files.exists(state.resolve(PendingSince.FILE_NAME)));

        write("run/reboot-required", "*** System restart required ***\n");
        Instant again = NOW.plus(Duration.ofDays(10));
        assertEquals(again, metrics(Clock.fixed(again, ZoneOffset.UTC)).snapshot().pendingSince());
    }

    @Test
    void afterAReboot0PendingTheRebootsTimeAndRequestIdAndTheLoopGuardsVerdict() throws Exception {
        Instant back = NOW.minus(Duration.ofMinutes(10));
        new FileJournal(state).recordLast(new LastReboot("req-42", back, List.of(), false));
        try (MetricsPublisher publisher = MetricsPublisher.start(metrics(Clock.fixed(NOW, ZoneOffset.UTC)), file, null,
                60, "0.1.0")) {
            String text = Files.readString(file);

            assertTrue(text.contains("\norch_reboot_pending 0.0\n"), text);
            assertFalse(text.contains("orch_reboot_pending_reason{"), text);
            assertFalse(text.contains("orch_reboot_pending_since_timestamp_seconds"), text);
            assertTrue(text.contains("orch_last_reboot_timestamp_seconds{request_id=\"req-42\"} 1.796187E9\n"), text);
            // The last reboot is 10 minutes old and reboot.min_interval_s an hour.
            assertTrue(text.contains("orch_loop_guard{state=\"min_interval\"} 1.0\n"), text);
        }
    }

    @Test
    void theEndpointServesTheLastTextAndNothingElse() throws Exception {
        try (MetricsPublisher publisher = MetricsPublisher.start(metrics(Clock.systemUTC()), null, "127.0.0.1:0", 60,
                "0.1.0")) {
            HttpClient client = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + publisher.port() + "/metrics");
            HttpResponse<String> got = client.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(200, got.statusCode());
            assertTrue(got.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            assertEquals(publisher.last(), got.body());
            assertTrue(got.body().contains("\norch_reboot_pending 0.0\n"), got.body());
            HttpResponse<String> posted = client.send(HttpRequest.newBuilder(uri)
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, posted.statusCode());
            assertFalse(Files.exists(file), "no text file asked for, none written");
        }
    }

    @Test
    void aMissingFolderIsRetriedAndNeverStopsTheNode() throws Exception {
        Path missing = dir.resolve("not-yet").resolve("orch.prom");
        try (MetricsPublisher publisher = MetricsPublisher.start(metrics(Clock.systemUTC()), missing, null, 60,
                "0.1.0")) {
            assertFalse(Files.exists(missing));
            Files.createDirectories(missing.getParent());
            publisher.refresh();
            assertTrue(Files.readString(missing).contains("orch_reboot_pending 0.0"));
        }
    }

    @Test
    void aListenPortThatIsTakenLeavesTheFileWorkingAndTheNodeServing() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             MetricsPublisher publisher = MetricsPublisher.start(metrics(Clock.systemUTC()), file,
                     "127.0.0.1:" + taken.getLocalPort(), 60, "0.1.0")) {
            assertEquals(-1, publisher.port());
            assertTrue(Files.readString(file).contains("orch_reboot_pending 0.0"));
        }
    }
}
