package io.orch.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.playground.lab.Lab;
import io.orch.playground.lab.LabNode;
import io.orch.playground.lab.LabPki;
import io.orch.playground.lab.LabSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/protocol.md §9 runs as written: its Python block, taken from the doc unchanged, pings a lab
 * through {@code orch broker}'s {@code stomp+ssl} connector and prints one verified reply per node. Only
 * the four variables the doc itself reads are set (the broker's free port and the tests' throwaway PKI
 * instead of {@code ~/.orch/lab}). Needs python3 with stomp.py 8 and cryptography; skipped without.
 */
class StompExampleEndToEndTest {
    private static final Path DOC = Path.of("..", "docs", "protocol.md").toAbsolutePath().normalize();
    private static final String INSTALL = "apt-get install python3-stomp python3-cryptography (Debian/Ubuntu), "
            + "or pip install 'stomp.py>=8,<9' cryptography";

    @TempDir
    Path state;

    @Test
    void thePythonExampleOfSection9PrintsOneVerifiedReplyPerNode() throws Exception {
        String python = python().orElse(null);
        Assumptions.assumeTrue(python != null, "docs/protocol.md §9 not run: no python3 here can import stomp and "
                + "cryptography; " + INSTALL);
        Path script = state.resolve("ping.py");
        Files.writeString(script, example(Files.readString(DOC)));

        try (SchemaCheckedBroker broker = SchemaCheckedBroker.startWithStomp();
             Lab lab = Lab.start(new LabSpec(6, 0.5, 61, broker.url(), null, state.resolve("lab"), null, 10,
                     Cli.PKI))) {
            URI stomp = URI.create(broker.stompUrl());
            ProcessBuilder run = new ProcessBuilder(python, script.toString()).redirectErrorStream(true);
            Map<String, String> env = run.environment();
            env.put("ORCH_STOMP_HOST", stomp.getHost());
            env.put("ORCH_STOMP_PORT", Integer.toString(stomp.getPort()));
            env.put("ORCH_SSL_DIR", Cli.PKI.operatorSslDir().toString());
            env.put("ORCH_CERTNAME", LabPki.OPERATOR);
            Example example = runExample(run);
            if (example.exit() != 0 && example.output().contains("ConnectFailedException")) {
                // Seen twice in a dozen full runs on a loaded machine, never alone: the broker's stomp+ssl
                // connector closed the connection at its 30 s connect timeout, before the example's CONNECT
                // frame reached it. One more try on the same broker; a second failure fails the test.
                System.err.println("StompExampleEndToEndTest: the example's first connection failed, trying once "
                        + "more:\n" + example.output());
                example = runExample(run);
            }
            String output = example.output();
            assertEquals(0, example.exit(), output);

            // "lab-0001 ok True {'boot_id': ...}": one line per node, each matched as its os-release says.
            Map<String, String> matched = new TreeMap<>();
            for (String line : output.lines().toList()) {
                assertTrue(!line.contains("unverified"), output);
                String[] words = line.split(" ", 4);
                if (words.length == 4 && words[0].startsWith("lab-")) {
                    assertEquals(null, matched.put(words[0], words[2]), () -> "two replies from " + words[0]
                            + ":\n" + output);
                    assertEquals("ok", words[1], output);
                    assertTrue(words[3].contains("'boot_id'"), output);
                }
            }
            Map<String, String> expected = new TreeMap<>();
            for (LabNode node : lab.nodes()) {
                expected.put(node.identity(), debianLike(node) ? "True" : "False");
            }
            assertEquals(expected, matched, output);
            assertTrue(expected.containsValue("True") && expected.containsValue("False"),
                    "the lab has nodes on both sides of the filter: " + expected);
        }
    }

    private record Example(int exit, String output) {
    }

    /** Runs the example once: its exit code and everything it printed (fails the test if it hangs). */
    private static Example runExample(ProcessBuilder run) throws IOException, InterruptedException {
        Process process = run.start();
        process.getOutputStream().close();
        boolean ended = process.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ended, () -> "the example did not end within 60 s:\n" + output);
        return new Example(process.exitValue(), output);
    }

    /** The Python block of §9, exactly as the doc has it. */
    static String example(String doc) {
        int section = doc.indexOf("## 9. ");
        int start = doc.indexOf("```python\n", section);
        int end = doc.indexOf("\n```", start + 10);
        assertTrue(section >= 0 && start > section && end > start, "no python block in §9 of " + DOC);
        return doc.substring(start + "```python\n".length(), end + 1);
    }

    /** Truth from the node's own files, not from orch: Debian and Ubuntu are os.family Debian. */
    private static boolean debianLike(LabNode node) throws IOException {
        String osRelease = Files.readString(node.root().resolve("etc/os-release"));
        return osRelease.contains("ID=debian") || osRelease.contains("ID=ubuntu");
    }

    /** The first of python3 on the PATH and the system's that has stomp.py and cryptography. */
    private static Optional<String> python() {
        List<String> candidates = new ArrayList<>(List.of("python3", "/usr/bin/python3"));
        for (String candidate : candidates) {
            try {
                Process check = new ProcessBuilder(candidate, "-c", "import stomp, cryptography")
                        .redirectErrorStream(true).start();
                check.getOutputStream().close();
                check.getInputStream().readAllBytes();
                if (check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0) {
                    return Optional.of(candidate);
                }
                check.destroyForcibly();
            } catch (IOException e) {
                // not there: the next one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
