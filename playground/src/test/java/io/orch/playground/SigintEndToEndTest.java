package io.orch.playground;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orch.playground.lab.LabTiming;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** A real SIGINT to a real {@code orch} process in the middle of a rolling reboot. */
@EnabledOnOs({OS.LINUX, OS.MAC})
class SigintEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path state;

    @Test
    void sigintMidRunStartsNoNewBatchAndExits130WithTheSummarySoFar() throws Exception {
        try (LabFixture fixture = LabFixture.start(6, 1.0, 31, state.resolve("lab"),
                new LabTiming(1.0, Duration.ofMillis(200)))) {
            Path home = Files.createDirectories(state.resolve("home"));
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                    OrchMain.class.getName(), "reboot", "-F", "reboot_pending=true", "--batch", "2", "--wait",
                    "--delay", "5", "--jsonl", "--broker", fixture.url());
            // The CLI's own files (config, last-seen) go to a scratch home, never the developer's.
            builder.environment().put("HOME", home.toString());
            builder.environment().put("XDG_CONFIG_HOME", home.resolve(".config").toString());
            builder.environment().put("XDG_STATE_HOME", home.resolve(".state").toString());
            builder.environment().keySet().removeIf(k -> k.startsWith("ORCH_"));
            builder.environment().putAll(Cli.PKI.clientEnvironment()); // the tests' operator
            builder.redirectError(state.resolve("stderr.txt").toFile());
            Process process = builder.start();
            List<String> lines = new CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (Exception e) {
                    // the process ended
                }
            });
            reader.start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> lines.stream()
                        .filter(l -> l.contains("\"status\":\"scheduled\"")).count() == 2);
                new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();
                assertTrue(process.waitFor(60, TimeUnit.SECONDS), "orch did not end after SIGINT");
            } finally {
                process.destroyForcibly();
            }
            reader.join(10_000);
            String stderr = Files.readString(state.resolve("stderr.txt"));
            String all = String.join("\n", lines) + "\n--- stderr\n" + stderr;
            assertEquals(130, process.exitValue(), all);
            assertEquals(1, lines.stream().filter(l -> l.contains("\"type\":\"batch_started\"")).count(), all);
            JsonNode summary = JSON.readTree(lines.get(lines.size() - 1));
            assertEquals("summary", summary.get("type").asText(), all);
            assertEquals("interrupted", summary.get("stop_reason").asText(), all);
            assertEquals(130, summary.get("exit_code").asInt(), all);
            List<String> inFlight = new ArrayList<>();
            summary.get("in_flight").forEach(n -> inFlight.add(n.asText()));
            assertEquals(2, inFlight.size(), all);
            assertEquals(4, summary.get("not_started").size(), all);
            assertTrue(stderr.contains("interrupted"), all);

            // What was in flight still happens, as the summary said; nothing else ever does.
            await().atMost(Duration.ofSeconds(60)).until(() -> inFlight.stream()
                    .allMatch(id -> fixture.lab.node(id).reboots() == 1 && fixture.lab.node(id).up()));
            summary.get("not_started").forEach(id -> assertEquals(0, fixture.lab.node(id.asText()).reboots()));
        }
    }
}
