package io.orch.responder.config;

import static io.orch.responder.Fixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
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
        assertEquals("unknown reboot executor '" + name + "'; use 'log' (only log what would run) or 'command' "
                + "(really reboot)", e.getMessage());
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
    void unknownDetectorIsAConfigError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ResponderWiring.detectors(List.of("reboot_required", "windows_update"), dir));
        assertTrue(e.getMessage().startsWith("unknown pending detector 'windows_update'; known: "), e.getMessage());
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
}
