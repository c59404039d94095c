package io.orch.responder.facts;

import static io.orch.responder.Fixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Built-in facts read below a fixture root instead of the machine's own /. */
class BuiltinFactsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-31T02:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path root;

    static Stream<Arguments> osReleases() {
        return Stream.of(
                arguments("Debian 12", """
                        PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
                        NAME="Debian GNU/Linux"
                        VERSION_ID="12"
                        VERSION="12 (bookworm)"
                        VERSION_CODENAME=bookworm
                        ID=debian
                        HOME_URL="https://www.debian.org/"
                        """, "Debian", "Debian GNU/Linux", "debian", "12", "12"),
                arguments("Ubuntu 22.04", """
                        PRETTY_NAME="Ubuntu 22.04.4 LTS"
                        NAME="Ubuntu"
                        VERSION_ID="22.04"
                        VERSION="22.04.4 LTS (Jammy Jellyfish)"
                        ID=ubuntu
                        ID_LIKE=debian
                        """, "Debian", "Ubuntu", "ubuntu", "22.04", "22"),
                arguments("Rocky Linux 9.4", """
                        NAME="Rocky Linux"
                        VERSION="9.4 (Blue Onyx)"
                        ID="rocky"
                        ID_LIKE="rhel centos fedora"
                        VERSION_ID="9.4"
                        PLATFORM_ID="platform:el9"
                        """, "RedHat", "Rocky Linux", "rocky", "9.4", "9"),
                arguments("SLES 15 SP5", """
                        NAME="SLES"
                        VERSION="15-SP5"
                        VERSION_ID="15.5"
                        PRETTY_NAME="SUSE Linux Enterprise Server 15 SP5"
                        ID="sles"
                        ID_LIKE="suse"
                        """, "Suse", "SLES", "sles", "15.5", "15"),
                arguments("openSUSE Leap 15.6", """
                        NAME="openSUSE Leap"
                        VERSION="15.6"
                        ID="opensuse-leap"
                        ID_LIKE="suse opensuse"
                        VERSION_ID="15.6"
                        """, "Suse", "openSUSE Leap", "opensuse-leap", "15.6", "15"),
                arguments("Arch, single quotes, comments and blank lines", """
                        # written by hand
                        NAME='Arch Linux'

                        ID=arch
                        BUILD_ID=rolling
                        """, "Arch", "Arch Linux", "arch", "", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("osReleases")
    void osFactsComeFromOsRelease(String what, String osRelease, String family, String name, String id,
                                  String full, String major) {
        write(root, "etc/os-release", osRelease);

        Map<String, Object> facts = BuiltinFacts.read(root, "web01", CLOCK);

        assertEquals(Map.of("family", family, "name", name, "id", id, "release", Map.of("full", full, "major", major)),
                facts.get("os"));
    }

    @Test
    void everyBuiltinFactComesFromTheRoot() {
        write(root, "etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
        write(root, "proc/sys/kernel/hostname", "web01\n");
        write(root, "proc/sys/kernel/osrelease", "6.1.0-10-amd64\n");
        write(root, "proc/sys/kernel/random/boot_id", "8d1c7a9e-1f2b-4c3d-9e8f-0a1b2c3d4e5f\n");
        write(root, "proc/uptime", "12345.67 23456.78\n");

        Map<String, Object> facts = BuiltinFacts.read(root, null, CLOCK);

        assertEquals("web01", facts.get("identity"));
        assertEquals("web01", facts.get("hostname"));
        assertEquals(Map.of("release", "6.1.0-10-amd64"), facts.get("kernel"));
        assertEquals("8d1c7a9e-1f2b-4c3d-9e8f-0a1b2c3d4e5f", facts.get("boot_id"));
        assertEquals("2026-01-30T22:34:14Z", facts.get("boot_time"), "now - 12345.67 s, whole seconds");
    }

    @Test
    void configuredIdentityWinsOverTheHostname() {
        write(root, "proc/sys/kernel/hostname", "ip-10-0-0-7\n");
        Map<String, Object> facts = BuiltinFacts.read(root, "web01.example.com", CLOCK);
        assertEquals("web01.example.com", facts.get("identity"));
        assertEquals("ip-10-0-0-7", facts.get("hostname"));
    }

    @Test
    void blankIdentityFallsBackToTheHostname() {
        write(root, "proc/sys/kernel/hostname", "db02\n");
        assertEquals("db02", BuiltinFacts.read(root, "  ", CLOCK).get("identity"));
    }

    @Test
    void hostnameFallsBackToEtcHostnameThenLocalhost() {
        write(root, "etc/hostname", "\n  db02  \nsecond line\n");
        assertEquals("db02", BuiltinFacts.read(root, null, CLOCK).get("hostname"));

        write(root, "etc/hostname", "\n\n");
        assertEquals("localhost", BuiltinFacts.read(root, null, CLOCK).get("hostname"));
    }

    @Test
    void emptyRootGivesSafeDefaults() {
        Map<String, Object> facts = BuiltinFacts.read(root, "web01", CLOCK);

        assertEquals("", facts.get("boot_id"));
        assertEquals("2026-01-31T02:00:00Z", facts.get("boot_time"), "unknown uptime: the responder's start");
        @SuppressWarnings("unchecked")
        Map<String, Object> os = (Map<String, Object>) facts.get("os");
        assertEquals("unknown", os.get("family"));
        assertEquals("", os.get("id"));
    }

    @Test
    void withoutProcTheOsGivesTheBootIdAndTime() {
        // Windows: no /proc, so the boot comes from the OS (WindowsBoot there).
        Instant booted = Instant.parse("2026-01-30T23:59:58Z");
        Map<String, Object> facts = BuiltinFacts.read(root, "web01", CLOCK,
                () -> java.util.Optional.of(new BuiltinFacts.Boot("4f9e0c1d-0000-4000-8000-000000000001", booted)));

        assertEquals("4f9e0c1d-0000-4000-8000-000000000001", facts.get("boot_id"));
        assertEquals(booted.toString(), facts.get("boot_time"));
    }

    @Test
    void procWinsOverTheOsAndTheOsIsNotAsked() {
        write(root, "proc/sys/kernel/random/boot_id", "8d1c7a9e-1f2b-4c3d-9e8f-0a1b2c3d4e5f\n");
        write(root, "proc/uptime", "12345.67 54321.00\n");
        Map<String, Object> facts = BuiltinFacts.read(root, "web01", CLOCK, () -> {
            throw new AssertionError("asked the OS although /proc told");
        });

        assertEquals("8d1c7a9e-1f2b-4c3d-9e8f-0a1b2c3d4e5f", facts.get("boot_id"));
        assertEquals("2026-01-30T22:34:14Z", facts.get("boot_time"));
    }

    @Test
    void oddUptimeFallsBackToNow() {
        write(root, "proc/uptime", "soon\n");
        assertEquals("2026-01-31T02:00:00Z", BuiltinFacts.read(root, "web01", CLOCK).get("boot_time"));
    }
}
