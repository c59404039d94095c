package io.orch.playground;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.orch.playground.lab.LabNode;
import io.orch.playground.lab.LabTiming;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/examples/change-window.sh against a real broker and a lab, with orch run as its own
 * process by a wrapper script, exactly as an operator or the systemd unit runs it.
 */
class ChangeWindowScriptTest {
    private static final Path SCRIPT = Path.of("..", "deploy", "examples", "change-window.sh").toAbsolutePath()
            .normalize();
    /** The script's settings and orch's: none may leak in from the environment running the tests. */
    private static final List<String> SETTINGS = List.of("ORCH", "FILTER", "SELECT", "BATCH", "MAX_FAILURES",
            "WAIT_TIMEOUT", "DELAY", "MESSAGE", "NODES_FILE", "EXCLUDE_FILE", "REPORT_DIR", "MAIL_TO", "DRY_RUN",
            "JSON_TOOL", "STATE_DIRECTORY");
    /** Reboots start at once and a node is back 300 ms later. */
    private static final LabTiming FAST = new LabTiming(0, Duration.ofMillis(300));

    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout (the summary)\n" + out + "--- stderr\n" + err;
        }
    }

    @BeforeAll
    static void needsBash() {
        assumeTrue(onPath("bash"), "bash is not installed");
        assertTrue(Files.isRegularFile(SCRIPT), SCRIPT + " is missing");
    }

    @Test
    void rebootsEveryPendingNodeOnceAndSummarizesTheWindow() throws Exception {
        try (LabFixture fixture = LabFixture.start(20, 0.5, 21, dir.resolve("lab"), FAST)) {
            Set<String> pending = fixture.lab.initiallyPending();
            assertFalse(pending.isEmpty());
            Run run = run(fixture, Map.of("BATCH", "50%"));

            assertEquals(0, run.exitCode(), run::toString);
            assertTrue(run.out().startsWith("orch change window on "), run::toString);
            assertTrue(run.out().contains("OK - " + pending.size() + " rebooted, 0 failed, 0 no response"),
                    run::toString);
            assertTrue(run.out().contains("REBOOTED (" + pending.size() + "):"), run::toString);
            assertTrue(run.out().contains("Exit code:  0 - All done"), run::toString);
            for (String id : pending) {
                assertTrue(run.out().contains(id), id + " missing from the summary\n" + run);
            }
            // Two batches, one request id each, both in the summary.
            String report = Files.readString(dir.resolve("report").resolve("report.json"));
            for (String requestId : rebootRequestIds(report)) {
                assertTrue(run.out().contains(requestId), requestId + "\n" + run);
            }
            assertEquals(2, rebootRequestIds(report).size(), report);
            assertTrue(run.err().contains("batch 2/2 started"), run::toString);
            // The summary is kept next to orch's own output.
            assertEquals(run.out(), Files.readString(dir.resolve("report").resolve("summary.txt")));
            assertTrue(Files.size(dir.resolve("report").resolve("run.jsonl")) > 0);

            // The lab's own truth: exactly the pending nodes went down, each once.
            for (LabNode node : fixture.lab.nodes()) {
                assertEquals(pending.contains(node.identity()) ? 1 : 0, node.reboots(), node.identity());
            }
        }
    }

    @Test
    void aDryRunRebootsNothingAndListsWhoWould() throws Exception {
        try (LabFixture fixture = LabFixture.start(20, 0.5, 22, dir.resolve("lab"), FAST)) {
            Set<String> pending = fixture.lab.initiallyPending();
            // python3 when there is one, so that the fallback from jq is what runs here.
            Run run = run(fixture, Map.of("DRY_RUN", "1", "JSON_TOOL", onPath("python3") ? "python3" : "none"));

            assertEquals(0, run.exitCode(), run::toString);
            assertTrue(run.out().contains("DRY RUN - " + pending.size() + " noop"), run::toString);
            assertTrue(run.out().contains("Would reboot"), run::toString);
            for (String id : pending) {
                assertTrue(run.out().contains(id), id + " missing from the dry run\n" + run);
            }
            assertFalse(Files.exists(dir.resolve("report").resolve("run.jsonl")), "no reboot was sent");
            for (LabNode node : fixture.lab.nodes()) {
                assertEquals(0, node.reboots(), node.identity());
            }
        }
    }

    @Test
    void aNodeThatStaysDownStopsTheWindowWithExitCode5() throws Exception {
        try (LabFixture fixture = LabFixture.start(20, 0.5, 23, dir.resolve("lab"), FAST)) {
            List<String> pending = fixture.lab.initiallyPending().stream().sorted().toList();
            assertTrue(pending.size() >= 4, pending::toString);
            String hung = pending.get(0); // in the first of two batches
            fixture.lab.node(hung).staysDownAfterReboot();
            // No jq, no python3: the plain summary still names the nodes that were not started.
            Run run = run(fixture, Map.of("BATCH", "50%", "MAX_FAILURES", "1", "WAIT_TIMEOUT", "4s",
                    "ORCH_TIMEOUT", "2s", "JSON_TOOL", "none"));

            assertEquals(5, run.exitCode(), run::toString);
            assertTrue(run.out().contains("STOPPED by --max-failures"), run::toString);
            assertTrue(run.out().contains("Exit code:  5 - Stopped by --max-failures"), run::toString);
            String notBack = section(run.out(), "NOT BACK");
            assertTrue(notBack.contains(hung), run::toString);
            String notStarted = section(run.out(), "NOT STARTED");
            List<String> secondBatch = pending.subList((pending.size() + 1) / 2, pending.size());
            for (String id : secondBatch) {
                assertTrue(notStarted.contains(id), id + " not listed as not started\n" + run);
                assertEquals(0, fixture.lab.node(id).reboots(), id);
            }
            for (String id : pending.subList(1, (pending.size() + 1) / 2)) {
                assertEquals(1, fixture.lab.node(id).reboots(), id);
            }
        }
    }

    @Test
    void stoppingTheJobLetsScheduledRebootsGoAheadAndSaysHowToCancelThem() throws Exception {
        // Lab time at full scale, so that the first batch is still in its 4 s delay when the job is stopped.
        try (LabFixture fixture = LabFixture.start(6, 1.0, 24, dir.resolve("lab"),
                new LabTiming(1.0, Duration.ofMillis(200)))) {
            Path jsonl = dir.resolve("report").resolve("run.jsonl");
            Process process = start(fixture, Map.of("BATCH", "2", "DELAY", "4"));
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(jsonl)
                        && Files.readString(jsonl).contains("\"status\":\"scheduled\""));
            } finally {
                process.destroy(); // SIGTERM, as systemctl stop sends it
            }
            Run run = finished(process);

            assertEquals(130, run.exitCode(), run::toString);
            assertTrue(run.out().contains("INTERRUPTED - 2 scheduled, 4 not started"), run::toString);
            String requestId = rebootRequestIds(Files.readString(dir.resolve("report").resolve("report.json")))
                    .get(0);
            assertTrue(run.out().contains(" cancel --broker '" + fixture.url() + "' " + requestId), run::toString);
            List<String> nodes = fixture.lab.nodes().stream().map(LabNode::identity).sorted().toList();
            // The first batch goes ahead, as the summary says; nobody else is touched.
            await().atMost(Duration.ofSeconds(30)).until(() -> nodes.subList(0, 2).stream()
                    .allMatch(id -> fixture.lab.node(id).reboots() == 1 && fixture.lab.node(id).up()));
            for (String id : nodes.subList(2, nodes.size())) {
                assertEquals(0, fixture.lab.node(id).reboots(), id);
            }
        }
    }

    private Run run(LabFixture fixture, Map<String, String> settings) throws Exception {
        return finished(start(fixture, settings));
    }

    /** Runs the script with {@code settings} over the test defaults; stdout and stderr go to files in the temp dir. */
    private Process start(LabFixture fixture, Map<String, String> settings) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString())
                .directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("ORCH_") || SETTINGS.contains(name));
        env.put("ORCH", wrapper().toString());
        env.put("ORCH_BROKER", fixture.url());
        env.putAll(Cli.PKI.clientEnvironment()); // the tests' operator
        env.put("DELAY", "0");
        env.put("REPORT_DIR", dir.resolve("report").toString());
        // The CLI's state and config files stay in the temp dir, never the developer's.
        env.put("HOME", dir.resolve("home").toString());
        env.put("XDG_STATE_HOME", dir.resolve("home").resolve("state").toString());
        env.put("XDG_CONFIG_HOME", dir.resolve("home").resolve("config").toString());
        env.putAll(settings);
        return builder.start();
    }

    private Run finished(Process process) throws Exception {
        boolean done = process.waitFor(3, TimeUnit.MINUTES);
        if (!done) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        Run run = new Run(done ? process.exitValue() : -1, Files.readString(dir.resolve("out.txt")),
                Files.readString(dir.resolve("err.txt")));
        System.out.println(run); // in target/surefire-reports/*-output.txt: what the summary looks like
        assertTrue(done, () -> "the script did not finish in 3 minutes\n" + run);
        return run;
    }

    /** {@code orch}: this JVM's java and class path running the launcher's main class. */
    private Path wrapper() throws IOException {
        Path wrapper = dir.resolve("orch");
        if (!Files.exists(wrapper)) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Files.writeString(wrapper, "#!/bin/sh\nexec " + shellQuote(java)
                    + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp " + shellQuote(System.getProperty("java.class.path"))
                    + " io.orch.playground.OrchMain \"$@\"\n", StandardCharsets.UTF_8);
            assertTrue(wrapper.toFile().setExecutable(true));
        }
        return wrapper;
    }

    private static String shellQuote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static List<String> rebootRequestIds(String reportJson) throws IOException {
        var report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(reportJson);
        return java.util.stream.StreamSupport.stream(report.get("request_ids").get("reboot").spliterator(), false)
                .map(com.fasterxml.jackson.databind.JsonNode::asText).toList();
    }

    /** The section that starts with {@code title}, up to the next blank line. */
    private static String section(String summary, String title) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(title) + ".*(\\n.+)*").matcher(summary);
        assertTrue(m.find(), () -> "no " + title + " in\n" + summary);
        return m.group();
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String entry : path.split(File.pathSeparator)) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, program))) {
                return true;
            }
        }
        return false;
    }
}
