package io.orch.responder.pending;

import io.orch.protocol.payload.Reason;
import static io.orch.responder.Fixture.mkdirs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.orch.responder.Scripts.FakeRunner;
import io.orch.responder.command.CommandResult;
import io.orch.responder.command.CommandTimeoutException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Pending when rpm says a core package was installed after boot; only on nodes with an rpm database. */
class CorePackagesUpdatedTest {

    private static final Instant BOOT = Instant.parse("2026-01-31T00:00:00Z");
    private static final long BEFORE = BOOT.getEpochSecond() - 86_400;
    private static final long AFTER = BOOT.getEpochSecond() + 3_600;

    @TempDir
    Path root;

    private Optional<Reason> detect(FakeRunner runner) throws Exception {
        return new CorePackagesUpdated(root, BOOT, runner, Duration.ofSeconds(10)).detect();
    }

    private static String at(long epochSecond) {
        return Instant.ofEpochSecond(epochSecond).toString();
    }

    /** @param pending packages and install times the evidence should hold, in order; empty: not pending */
    static Stream<Arguments> rpmOutputs() {
        return Stream.of(
                arguments("everything installed before boot", 0,
                        "kernel " + BEFORE + "\nglibc " + BEFORE + "\nsystemd " + BEFORE + "\n", Map.of()),
                arguments("new kernel after boot", 0,
                        "kernel " + BEFORE + "\nkernel " + AFTER + "\nglibc " + BEFORE + "\n",
                        Map.of("kernel", at(AFTER))),
                arguments("newest of several kernels counts, in any order", 0,
                        "kernel " + AFTER + "\nkernel " + BEFORE + "\n", Map.of("kernel", at(AFTER))),
                arguments("glibc and systemd after boot, listed in the query's order", 0,
                        "systemd " + (AFTER + 60) + "\nkernel " + BEFORE + "\nglibc " + AFTER + "\n",
                        ordered("glibc", at(AFTER), "systemd", at(AFTER + 60))),
                arguments("not-installed lines are ignored, and so is rpm's exit code for them", 2,
                        "kernel " + BEFORE + "\npackage dbus-broker is not installed\nglibc " + AFTER
                                + "\npackage microcode_ctl is not installed\n", Map.of("glibc", at(AFTER))),
                arguments("dbus-broker after boot beside an old dbus", 1,
                        "dbus " + BEFORE + "\ndbus-broker " + AFTER + "\npackage linux-firmware is not installed\n",
                        Map.of("dbus-broker", at(AFTER))),
                arguments("installed exactly at boot is not after boot", 0,
                        "kernel " + BOOT.getEpochSecond() + "\n", Map.of()),
                arguments("only not-installed lines: nothing to compare", 7,
                        "package kernel is not installed\npackage glibc is not installed\n", Map.of()),
                arguments("malformed lines beside good ones are skipped", 0,
                        "kernel " + BEFORE + "\nglibc (none)\nsystemd\nwarning: rpmdb altered\n"
                                + "systemd 12x\n\n   \nlinux-firmware " + AFTER + " extra\n", Map.of()),
                arguments("packages that were not asked for are ignored", 0,
                        "kernel-core " + AFTER + "\nkernel " + BEFORE + "\n", Map.of()),
                arguments("CRLF and stray spaces", 0, "kernel " + AFTER + "  \r\n  glibc " + BEFORE + "\r\n",
                        Map.of("kernel", at(AFTER))));
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            map.put((String) kv[i], kv[i + 1]);
        }
        return map;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rpmOutputs")
    void installTimesAreComparedWithTheBootTime(String what, int exit, String output, Map<String, Object> pending)
            throws Exception {
        mkdirs(root, "var/lib/rpm");

        Optional<Reason> found = detect(FakeRunner.always(CommandResult.of(exit, output)));

        if (pending.isEmpty()) {
            assertEquals(Optional.empty(), found);
        } else {
            Reason reason = found.orElseThrow();
            assertEquals("core_packages_updated", reason.name());
            assertEquals(Map.of("packages", pending, "boot_time", BOOT.toString()), reason.evidence());
            assertEquals(new ArrayList<>(pending.keySet()),
                    new ArrayList<>(((Map<?, ?>) reason.evidence().get("packages")).keySet()));
            assertTrue(reason.detail().startsWith("installed after boot at " + BOOT + ": "), reason.detail());
        }
    }

    static Stream<Arguments> unusableOutputs() {
        return Stream.of(
                arguments("rpm failed with nothing on stdout", 1, "", "error: cannot open Packages database"),
                arguments("non-zero exit and only noise", 1, "garbage\n", ""),
                arguments("exit 0 but no line about any package", 0, "\n\n", ""),
                arguments("exit 0 but only malformed lines", 0, "kernel soon\nglibc\n", ""),
                arguments("binary junk", 0, "\u0000\u0001\uFFFD", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusableOutputs")
    void outputWithoutAnyUsableLineIsAnErrorNotAnAnswer(String what, int exit, String output, String errors) {
        mkdirs(root, "var/lib/rpm");
        FakeRunner runner = FakeRunner.always(new CommandResult(exit, output, false, errors));

        IOException e = assertThrows(IOException.class, () -> detect(runner));

        assertTrue(e.getMessage().startsWith("rpm -q exited " + exit + " without a package line"), e.getMessage());
        if (!errors.isEmpty()) {
            assertTrue(e.getMessage().endsWith(": " + errors), e.getMessage());
        }
    }

    @Test
    void timeoutIsAnError() {
        mkdirs(root, "var/lib/rpm");
        assertThrows(CommandTimeoutException.class, () -> detect(new FakeRunner(argv -> null)));
    }

    @Test
    void withoutAnRpmDatabaseRpmIsNeverAsked() throws Exception {
        mkdirs(root, "var/lib/dpkg");
        mkdirs(root, "usr/lib/sysimage");
        FakeRunner runner = FakeRunner.always(CommandResult.of(0, "kernel " + AFTER + "\n"));

        assertEquals(Optional.empty(), detect(runner));
        assertEquals(List.of(), runner.calls);
    }

    @Test
    void rpmDatabaseThatIsAFileDoesNotCount() throws Exception {
        io.orch.responder.Fixture.write(root, "var/lib/rpm", "not a database folder");
        FakeRunner runner = FakeRunner.always(CommandResult.of(0, "kernel " + AFTER + "\n"));

        assertEquals(Optional.empty(), detect(runner));
        assertEquals(List.of(), runner.calls);
    }

    @ParameterizedTest
    @ValueSource(strings = {"var/lib/rpm", "usr/lib/sysimage/rpm"})
    void eitherDatabaseLocationMakesItAskRpmForTheCorePackages(String database) throws Exception {
        mkdirs(root, database);
        FakeRunner runner = FakeRunner.always(CommandResult.of(0, "kernel " + AFTER + "\n"));

        assertTrue(detect(runner).isPresent());

        assertEquals(List.of(List.of("rpm", "--root", root.toAbsolutePath().toString(), "-q", "--qf",
                "%{NAME} %{INSTALLTIME}\n", "kernel", "glibc", "systemd", "dbus", "dbus-broker", "linux-firmware",
                "microcode_ctl")), runner.calls);
    }

    @Test
    void onTheRealRootTheQueryIsPlainRpmQ() {
        assertEquals(List.of("rpm", "-q", "--qf", "%{NAME} %{INSTALLTIME}\n", "kernel", "glibc", "systemd", "dbus",
                        "dbus-broker", "linux-firmware", "microcode_ctl"),
                new CorePackagesUpdated(Path.of("/"), BOOT, FakeRunner.always(null), Duration.ofSeconds(1)).argv());
    }
}
