package io.orch.playground;

import io.orch.trust.LocalCa;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code orch-responder} as a node runs it: its own JVM with the shipped heap (-Xmx32m), a config
 * file, a certificate of the tests' site CA ({@link Cli#PKI}) in a Puppet-style ssl folder, the lab's
 * policy (the tests' operator may do everything), and a fixture root for its facts. Reboots only log.
 */
final class ResponderProcess implements AutoCloseable {
    private final String identity;
    private final Path log;
    private final Process process;

    private ResponderProcess(String identity, Path log, Process process) {
        this.identity = identity;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts {@code identity}'s responder on {@code brokerUrl} with its files below {@code dir}.
     *
     * @param insecure {@code security: insecure} (for a plain TCP broker), else signed and verified
     */
    static ResponderProcess start(String identity, String brokerUrl, Path dir, boolean insecure) throws Exception {
        Path home = Files.createDirectories(dir.resolve(identity));
        Path root = home.resolve("root");
        write(root, "etc/os-release", "NAME=\"Debian GNU/Linux\"\nID=debian\nVERSION_ID=\"12\"\n");
        write(root, "proc/sys/kernel/osrelease", "6.1.0-10-amd64\n");
        write(root, "proc/sys/kernel/random/boot_id", "aaaaaaaa-1111-4111-8111-aaaaaaaaaaaa\n");
        write(root, "proc/uptime", "86400.00 170000.00\n");
        String security;
        if (insecure) {
            // No policy file either: an insecure node without one obeys everyone, as orch --security insecure needs.
            security = "security: insecure\npolicy_file: " + quote(home.resolve("no-policy.yaml")) + "\n";
        } else {
            LocalCa ca = LocalCa.load(Cli.PKI.dir().resolve("ca.pem"), Cli.PKI.dir().resolve("ca_key.pem"));
            Path ssl = home.resolve("ssl");
            ca.writeLayout(ssl, ca.issue(identity, LocalCa.KeyType.ED25519, Duration.ofDays(1)), List.of(), ca.crl());
            security = "security:\n  ssl_dir: " + quote(ssl) + "\n"
                    + "policy_file: " + quote(Cli.PKI.dir().resolve("policy.yaml")) + "\n";
        }
        Path config = home.resolve("responder.yaml");
        Files.writeString(config, "identity: " + identity + "\n"
                + "facts:\n  root: " + quote(root) + "\n"
                + "reboot:\n  state_dir: " + quote(home.resolve("state")) + "\n"
                + security, StandardCharsets.UTF_8);
        Path log = home.resolve("responder.log");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Xmx32m", "-XX:+ExitOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"),
                "io.orch.responder.main.ResponderMain", "--config", config.toString(), "--broker", brokerUrl)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        process.getOutputStream().close();
        return new ResponderProcess(identity, log, process);
    }

    String identity() {
        return identity;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** What it logged so far. */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: the process ends at once, without a word to the bus (no stop announcement). */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void write(Path root, String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static String quote(Path path) {
        return "'" + path.toString().replace("'", "'\\''") + "'";
    }
}
