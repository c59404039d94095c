package io.orch.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The .rpm packages as rpm(8) reads them ({@code rpm -qip}, {@code -qlvp}, {@code --scripts}, the config flags):
 * the same layout as the .deb, config files an upgrade never replaces, the service enabled and never started.
 * Debian's rpm package reads them; nothing is installed.
 */
class RpmPackagesIT {
    private static final Path TARGET = Path.of("target").toAbsolutePath();

    @BeforeAll
    static void rpmIsThere() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/rpm")) || System.getenv("CI") != null,
                "Debian's rpm package is not installed");
    }

    private static String rpm(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("rpm"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
        return out;
    }

    private static String file(String name) throws IOException {
        try (Stream<Path> files = Files.list(TARGET)) {
            List<Path> found = files.filter(f -> f.getFileName().toString().matches(
                    java.util.regex.Pattern.quote(name) + "-[0-9].*\\.noarch\\.rpm")).toList();
            assertEquals(1, found.size(), "one " + name + " rpm in target/: " + found);
            return found.get(0).toString();
        }
    }

    @Test
    void theRespondersPackageHasTheJarTheUnitItsConfigAndOwnerOnlyStateFolders() throws Exception {
        String pkg = file("orch-responder");
        String info = rpm("-qip", pkg);
        assertTrue(info.contains("Name        : orch-responder"), info);
        assertTrue(info.contains("Version     : 0.1.0"), info);
        assertTrue(info.contains("Architecture: noarch"), info);
        assertTrue(rpm("-qRp", pkg).contains("java-headless >= 1:17"), "depends on the system's Java 17+");

        String files = rpm("-qlvp", pkg);
        for (String line : List.of(
                "-rw-r--r--    1 root     root", "/usr/share/orch-responder/orch-responder.jar",
                "-rwxr-xr-x    1 root     root", "/usr/share/orch-responder/bin/orch-responder",
                "/usr/bin/orch-responder -> ../share/orch-responder/bin/orch-responder",
                "/usr/lib/systemd/system/orch-responder.service")) {
            assertTrue(files.contains(line), line + " in:\n" + files);
        }
        assertTrue(files.lines().anyMatch(l -> l.startsWith("drwx------") && l.endsWith(" /var/lib/orch")), files);
        assertTrue(files.lines().anyMatch(l -> l.startsWith("drwx------") && l.endsWith(" /var/log/orch")), files);
        assertTrue(files.contains("/usr/share/orch-responder/lib/activemq-client-"), files);

        // %config(noreplace): an upgrade keeps an edited file and puts the new one beside it.
        String flags = rpm("-qp", "--qf", "[%{FILENAMES} %{FILEFLAGS:fflags}\\n]", pkg);
        assertTrue(flags.contains("/etc/orch/responder.yaml cn"), flags);
        assertTrue(flags.contains("/etc/orch/logback.xml cn"), flags);

        String scripts = rpm("-qp", "--scripts", pkg);
        assertTrue(scripts.contains("systemctl enable orch-responder.service"), scripts);
        assertTrue(!scripts.contains("systemctl start") && !scripts.contains("enable --now"),
                "the package never starts the service:\n" + scripts);
        assertTrue(scripts.contains("disable --now orch-responder.service"), "stopped before it is erased");
    }

    @Test
    void theCliPackageHasTheCommandCompletionManPagesAndClientConfig() throws Exception {
        String pkg = file("orch");
        assertTrue(rpm("-qip", pkg).contains("Name        : orch\n"), "named orch");
        String files = rpm("-qlp", pkg);
        for (String path : List.of("/usr/bin/orch", "/usr/share/orch/orch-cli.jar", "/usr/share/orch/bin/orch",
                "/usr/share/bash-completion/completions/orch", "/usr/share/man/man1/orch.1.gz",
                "/usr/share/man/man1/orch-reboot.1.gz", "/etc/orch/client.yaml")) {
            assertTrue(files.lines().anyMatch(path::equals), path + " in:\n" + files);
        }
        assertTrue(files.lines().noneMatch(l -> l.contains("activemq-broker") || l.contains("orch-node-responder")),
                "an operator host gets no broker and no responder:\n" + files);
        assertTrue(rpm("-qp", "--qf", "[%{FILENAMES} %{FILEFLAGS:fflags}\\n]", pkg).contains("/etc/orch/client.yaml cn"));
    }
}
