package io.orch.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The .deb packages installed on this Debian machine as a sysadmin installs them ({@code dpkg -i}), upgraded
 * over themselves with an edited config, removed (config and state stay) and purged (both go). It changes the
 * machine, so it runs only as root and when asked: in CI ({@code CI} set, as .ci/run runs) or with
 * {@code ORCH_PACKAGE_TEST=1}. Nothing is started: the responder's service is enabled, never run.
 */
class PackageInstallIT {
    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final List<String> PACKAGES = List.of("orch-responder", "orch");
    private static final String EDIT = "# edited on this node: an upgrade must keep this line";

    private record Run(int exit, String out) {
    }

    private static Run run(String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        pb.environment().put("MANWIDTH", "100");
        pb.environment().remove("ORCH_HOME");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "still running: " + String.join(" ", command));
        return new Run(p.exitValue(), out);
    }

    private static Path deb(String name) throws IOException {
        try (Stream<Path> files = Files.list(TARGET)) {
            List<Path> found = files.filter(f -> f.getFileName().toString().startsWith(name + "_")
                    && f.getFileName().toString().endsWith("_all.deb")).toList();
            assertEquals(1, found.size(), "one " + name + " package in target/: " + found);
            return found.get(0);
        }
    }

    private static boolean installed(String name) throws IOException, InterruptedException {
        Run r = run("dpkg-query", "-W", "-f=${Status}", name);
        return r.exit() == 0 && r.out().contains("installed") && !r.out().contains("not-installed");
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.readAttributes(p, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).permissions());
    }

    private static String owner(Path p) throws IOException {
        return Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName();
    }

    @BeforeEach
    void onlyWhereAskedAndNothingOfOrchIsThere() throws Exception {
        assumeTrue(System.getenv("CI") != null || "1".equals(System.getenv("ORCH_PACKAGE_TEST")),
                "installs packages on this machine: runs in CI or with ORCH_PACKAGE_TEST=1");
        assumeTrue("root".equals(System.getProperty("user.name")), "dpkg -i needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg")), "not a Debian machine");
        for (String name : PACKAGES) {
            assertFalse(installed(name), name + " is installed on this machine already; not touching it");
        }
        assertFalse(Files.exists(Path.of("/etc/orch/responder.yaml")), "/etc/orch/responder.yaml exists already");
    }

    @AfterEach
    void purged() throws Exception {
        List<String> purge = new ArrayList<>(List.of("dpkg", "--purge"));
        purge.addAll(PACKAGES);
        run(purge.toArray(String[]::new));
    }

    @Test
    void installUpgradeRemoveAndPurgeAsASysadminDoes() throws Exception {
        String responderDeb = deb("orch-responder").toString();
        String cliDeb = deb("orch").toString();

        Run install = run("dpkg", "-i", responderDeb, cliDeb);
        assertEquals(0, install.exit(), install.out());

        // Files where the packages put them, with the modes a sysadmin expects.
        assertEquals("rw-r--r--", mode(Path.of("/usr/share/orch-responder/orch-responder.jar")));
        assertEquals("rwxr-xr-x", mode(Path.of("/usr/share/orch-responder/bin/orch-responder")));
        assertTrue(Files.isSymbolicLink(Path.of("/usr/bin/orch-responder")));
        assertTrue(Files.isSymbolicLink(Path.of("/usr/bin/orch")));
        assertTrue(Files.isRegularFile(Path.of("/usr/share/orch/orch-cli.jar")));
        assertEquals("rw-r--r--", mode(Path.of("/etc/orch/responder.yaml")));
        assertEquals("rw-r--r--", mode(Path.of("/etc/orch/logback.xml")));
        assertEquals("rw-r--r--", mode(Path.of("/etc/orch/client.yaml")));
        for (String dir : List.of("/var/lib/orch", "/var/log/orch")) {
            assertEquals("rwx------", mode(Path.of(dir)), dir);
            assertEquals("root", owner(Path.of(dir)), dir);
        }
        String unit = Files.readString(Path.of("/lib/systemd/system/orch-responder.service"));
        assertTrue(unit.contains("-jar /usr/share/orch-responder/orch-responder.jar --config /etc/orch/responder.yaml"),
                unit);
        // Enabled (it starts at boot once configured), never started by the package.
        assertTrue(Files.isSymbolicLink(Path.of("/etc/systemd/system/multi-user.target.wants/orch-responder.service")),
                "enabled");
        assertEquals(1, run("pgrep", "-f", "orch-responder.jar").exit(), "no responder running");
        assertTrue(Files.isRegularFile(Path.of("/usr/share/bash-completion/completions/orch")));
        Run man = run("man", "orch-reboot");
        assertEquals(0, man.exit(), man.out());
        assertTrue(man.out().contains("orch-reboot - Reboot the matched nodes"), man.out());

        Run version = run("orch", "--version");
        assertEquals(0, version.exit(), version.out());
        assertTrue(version.out().contains("orch 0.1.0"), version.out());
        Run help = run("orch-responder", "--help");
        assertEquals(0, help.exit(), help.out());
        assertTrue(help.out().contains("Usage: orch-responder"), help.out());

        // An edited config and some state, then the same packages again: an upgrade keeps both.
        Files.writeString(Path.of("/etc/orch/responder.yaml"), EDIT + "\n", java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(Path.of("/var/lib/orch/last-reboot.json"), "{}\n");
        Run upgrade = run("dpkg", "-i", responderDeb, cliDeb);
        assertEquals(0, upgrade.exit(), upgrade.out());
        assertTrue(Files.readString(Path.of("/etc/orch/responder.yaml")).contains(EDIT), "the edit survives");
        assertTrue(Files.exists(Path.of("/var/lib/orch/last-reboot.json")), "the state survives");
        assertEquals(0, run("orch", "--version").exit());

        // Remove: the programs go, the config and the state stay.
        Run remove = run("dpkg", "--remove", "orch-responder", "orch");
        assertEquals(0, remove.exit(), remove.out());
        assertFalse(Files.exists(Path.of("/usr/share/orch-responder/orch-responder.jar")));
        assertFalse(Files.exists(Path.of("/usr/bin/orch"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.readString(Path.of("/etc/orch/responder.yaml")).contains(EDIT), "config kept on remove");
        assertTrue(Files.exists(Path.of("/etc/orch/client.yaml")), "config kept on remove");
        assertTrue(Files.exists(Path.of("/var/lib/orch/last-reboot.json")), "state kept on remove");
        assertTrue(run("dpkg-query", "-W", "-f=${Status}", "orch-responder").out().contains("config-files"));

        // Purge: config and state go too.
        Run purge = run("dpkg", "--purge", "orch-responder", "orch");
        assertEquals(0, purge.exit(), purge.out());
        for (String gone : List.of("/etc/orch/responder.yaml", "/etc/orch/logback.xml", "/etc/orch/client.yaml",
                "/var/lib/orch", "/var/log/orch",
                "/etc/systemd/system/multi-user.target.wants/orch-responder.service")) {
            assertFalse(Files.exists(Path.of(gone), LinkOption.NOFOLLOW_LINKS), gone + " is gone after purge");
        }
        assertFalse(installed("orch-responder"));
    }
}
