package io.orch.responder;

import static io.orch.responder.Fixture.write;

import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Request;
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
import java.util.concurrent.TimeUnit;

/**
 * Responders run as their own OS processes, the way systemd runs them (their own JVM, the config file,
 * the broker URL), for tests that kill and restart the node: the fixture root of a Debian node that
 * needs a reboot, the config with a harmless reboot command, starting and stopping the processes, and
 * their output printed when a test fails.
 */
final class ResponderProcesses {
    private final Path dir;
    private final Path config;
    private final String brokerUrl;
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> outputs = new ArrayList<>();

    /** @param dir where the processes' output files go */
    ResponderProcesses(Path dir, Path config, String brokerUrl) {
        this.dir = dir;
        this.config = config;
        this.brokerUrl = brokerUrl;
    }

    /** Writes the fixture root of a Debian 12 node up a day, with boot id {@code bootId}, that needs a reboot. */
    static void debianNeedingReboot(Path root, String bootId) {
        write(root, "etc/os-release", "NAME=\"Debian GNU/Linux\"\nID=debian\nVERSION_ID=\"12\"\n");
        write(root, "proc/sys/kernel/osrelease", "6.1.0-10-amd64\n");
        write(root, "proc/sys/kernel/random/boot_id", bootId + "\n");
        write(root, "proc/uptime", "86400.00 170000.00\n");
        write(root, "boot/vmlinuz-6.1.0-10-amd64", "");
        write(root, "run/reboot-required", "*** System restart required ***\n");
        write(root, "run/reboot-required.pkgs", "libc6\n");
    }

    /**
     * Writes the responder config of node1: facts from {@code root}, the given pending detectors, the
     * command executor with {@code command} (the YAML list's items) and {@code cancel}, no lock files,
     * no minimum interval, the shared test trust.
     */
    static void writeConfig(Path config, Path dir, Path root, Path state, String detectors, String command,
            Path cancel) throws IOException {
        Files.writeString(config, String.join("\n",
                "identity: node1",
                "facts:",
                "  root: " + quote(root),
                "pending:",
                "  detectors: [" + detectors + "]",
                "reboot:",
                "  executor: command",
                "  command: [" + command + "]",
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

    /** The path single-quoted for a shell script or YAML. */
    static String quote(Path path) {
        return "'" + path.toString().replace("'", "'\\''") + "'";
    }

    /** An executable file {@code dir/name} holding {@code body} as it is (its own {@code #!} line). */
    static Path script(Path dir, String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, body, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    static Request request(Action action, Map<String, Object> params) {
        return Request.create("orch", action, null, params, "tester", "junit", Instant.now(), Duration.ofSeconds(60));
    }

    /** Starts the responder as a node runs it: its own JVM, the config file, the broker URL. */
    Process start() throws IOException {
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

    /** SIGTERM, then SIGKILL if the process has not ended within 30 s. */
    static void stop(Process process) throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Stops every process {@link #start()} started. */
    void stopAll() throws InterruptedException {
        for (Process p : processes) {
            stop(p);
        }
    }

    /** Prints every process's output to stderr, for a failed test. */
    void printOutputs() {
        for (Path output : outputs) {
            System.err.println("---------- " + output.getFileName());
            try {
                System.err.println(Files.readString(output, StandardCharsets.UTF_8));
            } catch (IOException e) {
                System.err.println("(cannot read: " + e + ")");
            }
        }
    }
}
