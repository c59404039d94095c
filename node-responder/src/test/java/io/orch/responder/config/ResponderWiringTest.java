package io.orch.responder.config;

import static io.orch.responder.Fixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.orch.responder.Fixture;
import io.orch.responder.Scripts;
import io.orch.responder.command.CommandResult;
import io.orch.responder.executor.CommandRebootExecutor;
import io.orch.responder.executor.LoggingRebootExecutor;
import io.orch.responder.executor.RebootExecutor;
import io.orch.responder.executor.RebootPlan;
import io.orch.responder.facts.NodeFacts;
import io.orch.responder.pending.PendingDetector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one place implementations are chosen: the real reboot command only when the config says 'command'. */
class ResponderWiringTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-31T02:00:00Z"), ZoneOffset.UTC);
    private static final RebootPlan PLAN = new RebootPlan("req-1", Duration.ofSeconds(60), "bye", List.of());

    @TempDir
    Path dir;

    private Path markerScript(Path marker) throws Exception {
        Path script = dir.resolve("mark.sh");
        Files.writeString(script, "#!/bin/sh\ntouch '" + marker + "'\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @Test
    void defaultExecutorOnlyLogs() throws Exception {
        RebootExecutor executor = ResponderWiring.executor(ResponderConfig.defaults().reboot());
        assertInstanceOf(LoggingRebootExecutor.class, executor);
        assertFalse(executor.reboots(), "the node answers noop rather than scheduled");
        assertTrue(executor.describe(PLAN).startsWith("log only (would run: "), executor.describe(PLAN));
    }

    @Test
    void logExecutorWithAConfiguredCommandStillNeverRunsIt() throws Exception {
        Path marker = dir.resolve("ran");
        RebootExecutor executor = ResponderWiring.executor(
                new ResponderConfig.Reboot("log", List.of(markerScript(marker).toString()), 5, null));

        executor.reboot(PLAN);

        assertInstanceOf(LoggingRebootExecutor.class, executor);
        assertFalse(Files.exists(marker));
    }

    @Test
    void commandExecutorIsChosenOnlyByAnExplicitSetting() throws Exception {
        Path marker = dir.resolve("ran");
        RebootExecutor executor = ResponderWiring.executor(
                new ResponderConfig.Reboot("command", List.of(markerScript(marker).toString()), 5, null));

        executor.reboot(PLAN);

        assertInstanceOf(CommandRebootExecutor.class, executor);
        assertTrue(executor.reboots());
        assertTrue(Files.exists(marker));
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 301, Integer.MAX_VALUE})
    void clockSkewOutsideZeroToFiveMinutesIsAConfigError(int skew) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ResponderWiring.freshness(new ResponderConfig.Requests(skew)));
        assertEquals("requests.clock_skew_s must be between 0 and 300, got " + skew, e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 30, 300})
    void clockSkewFromZeroToFiveMinutesIsAllowed(int skew) throws Exception {
        assertEquals(Duration.ofSeconds(skew), ResponderWiring.freshness(new ResponderConfig.Requests(skew))
                .allowedSkew());
    }

    @Test
    void withoutAHostnameOrAConfiguredIdentityTheResponderRefusesToStart() {
        write(dir, "etc/hostname", "\n");
        ResponderConfig config = new ResponderConfig(null, null, null,
                new ResponderConfig.Facts(dir.toString(), List.of()), null, null, null);

        ConfigException e = assertThrows(ConfigException.class, () -> ResponderWiring.facts(config, CLOCK));

        assertEquals("no hostname found below " + dir + "; set identity in the config", e.getMessage());
    }

    @Test
    void hostnameIsTheIdentityWhenNoneIsConfigured() throws Exception {
        write(dir, "etc/hostname", "db02\n");
        ResponderConfig config = new ResponderConfig(null, null, null,
                new ResponderConfig.Facts(dir.toString(), List.of()), null, null, null);

        assertEquals("db02", ResponderWiring.facts(config, CLOCK).identity());
    }

    @Test
    void missingFactsRootIsAConfigError() {
        Path absent = dir.resolve("no-such-root");
        ResponderConfig config = new ResponderConfig("web01", null, null,
                new ResponderConfig.Facts(absent.toString(), List.of()), null, null, null);

        ConfigException e = assertThrows(ConfigException.class, () -> ResponderWiring.facts(config, CLOCK));

        assertEquals("facts.root " + absent + " does not exist or is not a folder", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Command", "commands", "yes", ""})
    void unknownExecutorIsAConfigError(String name) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ResponderWiring.executor(new ResponderConfig.Reboot(name, null, null, null)));
        assertEquals("unknown reboot executor '" + name + "'; use 'log' (only log what would run), 'command' "
                + "(run reboot.command) or 'windows' (InitiateSystemShutdownEx), or 'system' for this platform's own",
                e.getMessage());
    }

    @Test
    void systemExecutorOnLinuxRunsTheCommand() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(System.getProperty("os.name").startsWith("Windows"));
        assertTrue(ResponderWiring.executor(new ResponderConfig.Reboot("system", null, null, null))
                instanceof io.orch.responder.executor.CommandRebootExecutor);
    }

    @Test
    void blankCommandIsAConfigError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ResponderWiring.executor(new ResponderConfig.Reboot("command", List.of(" "), null, null)));
        assertEquals("reboot command is empty; set reboot.command in the node config", e.getMessage());
    }

    @Test
    void detectorsAreChosenByName() throws Exception {
        List<String> names = ResponderWiring.detectors(List.of("kernel_update", "reboot_required"), dir).detectors()
                .stream().map(PendingDetector::name).toList();
        assertEquals(List.of("kernel_update", "reboot_required"), names);
        assertEquals(ResponderWiring.DETECTORS, ResponderWiring.detectors(ResponderWiring.DETECTORS, dir).detectors()
                .stream().map(PendingDetector::name).toList());
    }

    @Test
    void windowsDetectorsOnLinuxAreAConfigErrorNotSilence() {
        org.junit.jupiter.api.Assumptions.assumeFalse(System.getProperty("os.name").startsWith("Windows"));
        ConfigException e = assertThrows(ConfigException.class,
                () -> ResponderWiring.detectors(List.of("reboot_required", "windows_update"), dir));
        assertEquals("pending.detectors lists Windows detectors [windows_update], which read the Windows registry; "
                + "this node is not Windows", e.getMessage());
    }

    @Test
    void windowsExecutorOnLinuxIsAConfigError() {
        org.junit.jupiter.api.Assumptions.assumeFalse(System.getProperty("os.name").startsWith("Windows"));
        ConfigException e = assertThrows(ConfigException.class,
                () -> ResponderWiring.executor(new ResponderConfig.Reboot("windows", null, null, null)));
        assertTrue(e.getMessage().startsWith("reboot.executor 'windows': "), e.getMessage());
    }

    @Test
    void factsFilesCannotOverrideBuiltins() throws Exception {
        Path root = dir.resolve("root");
        write(root, "proc/sys/kernel/random/boot_id", "real-boot-id\n");
        write(root, "etc/os-release", "ID=debian\n");
        Path file = write(dir, "facts.yaml", """
                identity: someone-else
                boot_id: fake
                role: web
                os:
                  family: Windows
                """);
        ResponderConfig config = new ResponderConfig("web01", null, null,
                new ResponderConfig.Facts(root.toString(), List.of(file.toString())), null, null, null);

        NodeFacts facts = ResponderWiring.facts(config, CLOCK);

        assertEquals("web01", facts.identity());
        assertEquals("real-boot-id", facts.bootId());
        assertEquals("web", facts.stable().get("role"));
        assertEquals("Debian", facts.forRequest().lookup("os.family"));
    }

    @Test
    void badFactsFileIsAConfigError() {
        Path file = write(dir, "facts.yaml", "- not\n- a map\n");
        ResponderConfig config = new ResponderConfig("web01", null, null,
                new ResponderConfig.Facts(dir.toString(), List.of(file.toString())), null, null, null);
        ConfigException e = assertThrows(ConfigException.class, () -> ResponderWiring.facts(config, CLOCK));
        assertTrue(e.getMessage().contains("must hold a map of facts"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"web*", "web.>", ".hidden", "web 01"})
    void identityThatCannotBeADestinationIsAConfigError(String identity) {
        ResponderConfig config = new ResponderConfig(identity, null, null,
                new ResponderConfig.Facts(dir.toString(), List.of()), null, null, null);
        ConfigException e = assertThrows(ConfigException.class, () -> ResponderWiring.facts(config, CLOCK));
        assertTrue(e.getMessage().endsWith("; set 'identity' in the config"), e.getMessage());
    }

    @Test
    void pendingFactsUseTheConfiguredDetectorsBelowTheRoot() throws Exception {
        write(dir, "run/reboot-required", "");
        write(dir, "proc/sys/kernel/osrelease", "6.1.0-9-amd64");
        write(dir, "boot/vmlinuz-6.1.0-10-amd64", "");
        ResponderConfig config = new ResponderConfig("web01", null, null,
                new ResponderConfig.Facts(dir.toString(), List.of()), new ResponderConfig.Pending(List.of("kernel_update")),
                null, null);

        NodeFacts facts = ResponderWiring.facts(config, CLOCK);

        assertEquals(List.of("kernel_update"), facts.forRequest().lookup(NodeFacts.PENDING_REASONS));
        assertEquals(Map.of("running", "6.1.0-9-amd64", "newest", "6.1.0-10-amd64"),
                facts.forRequest().pending().reasons().get(0).evidence());
    }

    // ------------------------------------------------------------------ detectors with commands, external facts

    private ResponderConfig withPending(ResponderConfig.Pending pending) {
        return new ResponderConfig("web01", null, null, new ResponderConfig.Facts(dir.toString(), List.of()), pending,
                null, null);
    }

    private ResponderConfig withFacts(ResponderConfig.Facts facts) {
        return new ResponderConfig("web01", null, null, facts, null, null, null);
    }

    @Test
    void defaultDetectorsIncludeCorePackagesButNoSentinel() throws Exception {
        NodeFacts facts = ResponderWiring.facts(withPending(null), CLOCK);

        assertEquals(List.of("reboot_required", "reboot_needed", "kernel_update", "core_packages_updated"),
                ResponderWiring.DETECTORS);
        assertEquals(Map.of(), facts.forRequest().pending().errors(), "no rpm database here: nothing to ask");
    }

    @Test
    void sentinelCommandIsWiredWithItsTimeoutAndDecidesPending() throws Exception {
        Path check = Scripts.script(dir, "check.sh", "echo 'libc updated'; exit 0");
        NodeFacts facts = ResponderWiring.facts(withPending(
                new ResponderConfig.Pending(null, List.of(check.toString(), "--verbose"), 5)), CLOCK);

        NodeFacts.RequestFacts view = facts.forRequest();

        assertEquals(List.of("sentinel_command"), view.lookup(NodeFacts.PENDING_REASONS));
        assertEquals(Map.of("command", List.of(check.toString(), "--verbose"), "output", "libc updated"),
                view.pending().reasons().get(0).evidence());
    }

    @Test
    void corePackagesCompareWithTheBootTimeFromTheRoot() throws Exception {
        write(dir, "proc/uptime", "3600.00 100.00\n"); // booted 01:00 by CLOCK
        Fixture.mkdirs(dir, "usr/lib/sysimage/rpm");
        long afterBoot = Instant.parse("2026-01-31T01:30:00Z").getEpochSecond();
        Scripts.FakeRunner rpm = Scripts.FakeRunner.always(CommandResult.of(1,
                "kernel 1000\nglibc " + afterBoot + "\npackage dbus-broker is not installed\n"));

        NodeFacts facts = ResponderWiring.facts(
                withPending(new ResponderConfig.Pending(List.of("core_packages_updated"))), CLOCK, rpm);

        assertEquals(Map.of("packages", Map.of("glibc", "2026-01-31T01:30:00Z"), "boot_time", "2026-01-31T01:00:00Z"),
                facts.forRequest().pending().reasons().get(0).evidence());
        assertEquals("rpm", rpm.calls.get(0).get(0));
    }

    static Stream<Arguments> badPendingConfigs() {
        return Stream.of(
                arguments("sentinel listed without a command", new ResponderConfig.Pending(
                        List.of("reboot_required", "sentinel_command"), null, null),
                        "pending.detectors lists sentinel_command but pending.sentinel_command is not set; set the "
                                + "command to run, or remove sentinel_command"),
                arguments("sentinel listed with an empty command", new ResponderConfig.Pending(
                        List.of("sentinel_command"), List.of(), null),
                        "pending.detectors lists sentinel_command but pending.sentinel_command is not set; set the "
                                + "command to run, or remove sentinel_command"),
                arguments("command set but not in an explicit list", new ResponderConfig.Pending(
                        List.of("reboot_required"), List.of("/bin/true"), null),
                        "pending.sentinel_command is set but pending.detectors does not list sentinel_command; add "
                                + "it there, or remove the command"),
                arguments("blank command", new ResponderConfig.Pending(null, List.of(" ", "x"), null),
                        "pending.sentinel_command is empty; give the command and its arguments as a list, e.g. "
                                + "[/usr/local/sbin/needs-reboot, --quiet]"),
                arguments("zero timeout", new ResponderConfig.Pending(null, List.of("/bin/true"), 0),
                        "pending.sentinel_timeout_s must be between 1 and 60, got 0"),
                arguments("negative timeout", new ResponderConfig.Pending(null, null, -5),
                        "pending.sentinel_timeout_s must be between 1 and 60, got -5"),
                arguments("timeout over a minute", new ResponderConfig.Pending(null, List.of("/bin/true"), 61),
                        "pending.sentinel_timeout_s must be between 1 and 60, got 61"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPendingConfigs")
    void badSentinelSettingsAreConfigErrorsNamingTheKey(String what, ResponderConfig.Pending pending, String message) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ResponderWiring.facts(withPending(pending), CLOCK));
        assertEquals(message, e.getMessage());
    }

    @Test
    void unknownDetectorErrorListsEveryKnownName() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ResponderWiring.detectors(List.of("rpm"), dir));
        assertEquals("unknown pending detector 'rpm'; known: [reboot_required, reboot_needed, kernel_update, "
                + "core_packages_updated, sentinel_command, windows_cbs, windows_update, pending_file_rename, "
                + "update_exe_volatile, computer_rename, domain_join, ccm_client, dsc]", e.getMessage());
    }

    static Stream<Arguments> badFactsConfigs() {
        return Stream.of(
                arguments("zero external timeout", null, 0, null,
                        "facts.external_timeout_s must be between 1 and 60, got 0"),
                arguments("external timeout over a minute", null, 61, null,
                        "facts.external_timeout_s must be between 1 and 60, got 61"),
                arguments("negative TTL", null, null, -1, "facts.cache_ttl_s must be 0 or more, got -1"),
                arguments("missing external folder", "no-such-dir", null, null,
                        "facts.external_dir {dir}/no-such-dir does not exist or is not a folder"),
                arguments("external folder that is a file", "etc/hostname", null, null,
                        "facts.external_dir {dir}/etc/hostname does not exist or is not a folder"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFactsConfigs")
    void badFactsSettingsAreConfigErrorsNamingTheKey(String what, String externalDir, Integer timeout, Integer ttl,
                                                      String message) {
        write(dir, "etc/hostname", "web01\n");
        ResponderConfig config = withFacts(new ResponderConfig.Facts(dir.toString(), List.of(),
                externalDir == null ? null : dir.resolve(externalDir).toString(), timeout, ttl));
        ConfigException e = assertThrows(ConfigException.class, () -> ResponderWiring.facts(config, CLOCK));
        assertEquals(message.replace("{dir}", dir.toString()), e.getMessage());
    }

    @Test
    void externalFactsAreReadAtStartUnderStaticFilesAndBuiltins() throws Exception {
        Path root = dir.resolve("root");
        write(root, "proc/sys/kernel/random/boot_id", "real-boot-id\n");
        Path factsD = dir.resolve("facts.d");
        Scripts.script(factsD, "role", "echo role=db; echo boot_id=fake; echo datacenter=ams1");
        Scripts.script(factsD, "broken", "echo half; exit 4");
        Path file = write(dir, "facts.yaml", "role: web\n");
        ResponderConfig config = withFacts(new ResponderConfig.Facts(root.toString(), List.of(file.toString()),
                factsD.toString(), 10, 0));

        NodeFacts facts = ResponderWiring.facts(config, CLOCK);
        NodeFacts.RequestFacts view = facts.forRequest();

        assertEquals("web", view.lookup("role"));
        assertEquals("ams1", view.lookup("datacenter"));
        assertEquals("real-boot-id", facts.bootId());
        assertEquals("real-boot-id", view.lookup("boot_id"));
        assertEquals(Map.of(factsD.resolve("broken").toString(), "exited 4: half"), view.factErrors());
    }
}
