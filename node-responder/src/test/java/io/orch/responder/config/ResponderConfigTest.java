package io.orch.responder.config;

import static io.orch.responder.Fixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The node's responder.yaml: safe defaults for everything, and errors that point at the line to fix. */
class ResponderConfigTest {

    @TempDir
    Path dir;

    @Test
    void missingFileSaysWhereTheExampleIs() {
        Path file = dir.resolve("responder.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> ResponderConfig.load(file));
        assertTrue(e.getMessage().startsWith("config file " + file + " does not exist; pass --config with the path "
                + "of responder.yaml ("), e.getMessage());
    }

    @Test
    void minimalFileGetsSafeDefaults() throws Exception {
        ResponderConfig config = ResponderConfig.load(write(dir, "responder.yaml", "identity: web01\n"));

        assertEquals("web01", config.identity());
        assertEquals("orch", config.collective());
        assertEquals("tcp://127.0.0.1:61616", config.broker());
        assertEquals("/", config.facts().root());
        assertEquals(List.of(), config.facts().files());
        assertNull(config.facts().externalDir());
        assertEquals(5, config.facts().externalTimeoutS());
        assertEquals(300, config.facts().cacheTtlS());
        assertEquals(ResponderWiring.DETECTORS, config.pending().detectors());
        assertTrue(config.pending().detectors().contains("core_packages_updated"));
        assertFalse(config.pending().detectors().contains("sentinel_command"), "nothing to run without a command");
        assertNull(config.pending().sentinelCommand());
        assertEquals(10, config.pending().sentinelTimeoutS());
        assertEquals("log", config.reboot().executor(), "a node never reboots unless its config says so");
        assertNull(config.reboot().command());
        assertEquals(30, config.reboot().commandTimeoutS());
        assertFalse(config.reboot().allowForce(), "a forced reboot needs the node's consent");
        assertEquals(30, config.requests().clockSkewS());
        assertEquals(600, config.registry().intervalS(), "announcing every ten minutes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "# every setting commented out\n# identity: web01\n", "---\n", "~\n"})
    void emptyFileMeansDefaults(String content) throws Exception {
        assertEquals(ResponderConfig.defaults(), ResponderConfig.load(write(dir, "responder.yaml", content)));
    }

    @Test
    void everyKeyIsReadInSnakeCase() throws Exception {
        ResponderConfig config = ResponderConfig.load(write(dir, "responder.yaml", """
                identity: web01.example.com
                collective: prod
                broker: failover:(tcp://mq1:61616,tcp://mq2:61616)
                facts:
                  root: /srv/fixture
                  files: [/etc/orch/facts.yaml, /etc/orch/more.json]
                  external_dir: /etc/orch/facts.d
                  external_timeout_s: 3
                  cache_ttl_s: 60
                pending:
                  detectors: [reboot_required, sentinel_command]
                  sentinel_command: [/usr/local/sbin/needs-reboot, --quiet]
                  sentinel_timeout_s: 20
                reboot:
                  executor: command
                  command: ["/usr/local/sbin/node-restart", "+{delay_min}", "{message}"]
                  command_timeout_s: 5
                  allow_force: true
                requests:
                  clock_skew_s: 10
                registry:
                  interval_s: 300
                """));

        assertEquals(new ResponderConfig("web01.example.com", "prod", "failover:(tcp://mq1:61616,tcp://mq2:61616)",
                new ResponderConfig.Facts("/srv/fixture", List.of("/etc/orch/facts.yaml", "/etc/orch/more.json"),
                        "/etc/orch/facts.d", 3, 60),
                new ResponderConfig.Pending(List.of("reboot_required", "sentinel_command"),
                        List.of("/usr/local/sbin/needs-reboot", "--quiet"), 20),
                new ResponderConfig.Reboot("command", List.of("/usr/local/sbin/node-restart", "+{delay_min}",
                        "{message}"), 5, true),
                new ResponderConfig.Requests(10), null, null, new ResponderConfig.Registry(300)), config);
    }

    @Test
    void deployedExampleIsValidAndKeepsForceOff() throws Exception {
        ResponderConfig config = ResponderConfig.load(Path.of("../deploy/config/responder.yaml"));

        ResponderWiring.freshness(config.requests());
        ResponderWiring.executor(config.reboot());
        assertEquals("system", config.reboot().executor());
        assertFalse(config.reboot().allowForce());
        assertEquals(ResponderWiring.DETECTORS, config.pending().detectors());
        assertEquals(new ResponderConfig.Facts("/", List.of()), config.facts());
        assertEquals(new ResponderConfig.Pending(null), config.pending());
        assertEquals(30, config.requests().clockSkewS());
        assertEquals(new ResponderConfig.Registry(600), config.registry());
        ResponderWiring.presence(config.registry(), java.time.Instant.now(),
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor());
        // Debian's prometheus-node-exporter reads this folder; the unit lets the responder write there.
        assertEquals(new ResponderConfig.Metrics("/var/lib/prometheus/node-exporter/orch.prom", 60, null),
                ResponderWiring.metrics(config.metrics()));
    }

    @Test
    void deployedWindowsConfigIsValidWithItsStateFolderInProgramDataAndOnlyWindowsDetectors() throws Exception {
        ResponderConfig config = ResponderConfig.load(Path.of("../deploy/windows/responder.yaml"));

        ResponderWiring.freshness(config.requests());
        ResponderWiring.policy(config.reboot());
        assertEquals(io.orch.responder.pending.windows.WindowsDetectors.ALL, config.pending().detectors());
        assertEquals(List.of(), config.pending().detectors().stream()
                .filter(ResponderWiring.LINUX_DETECTORS::contains).toList());
        assertEquals("C:\\ProgramData\\orch", config.reboot().stateDir());
        assertEquals(io.orch.responder.reboot.LockWait.WINDOWS_LOCKS, config.reboot().lockFiles());
        assertTrue(config.reboot().lockFiles().stream().noneMatch(lock -> lock.startsWith("/")),
                "no Linux path to be looked for under C:\\");
        assertEquals("system", config.reboot().executor());
        assertFalse(config.reboot().allowForce());
        assertEquals("C:\\ProgramData\\PuppetLabs\\puppet\\etc\\ssl", config.security().sslDir());
        assertEquals("C:\\ProgramData\\orch\\policy.yaml", config.policyFile());
    }

    @Test
    void windowsStateFolderDefaultsToProgramDataOrch() {
        Path dir = ResponderWiring.windowsStateDir(java.util.Map.of("ProgramData", "D:\\Data"));
        assertEquals("D:\\Data", dir.getParent().toString());
        assertEquals("orch", dir.getFileName().toString());
        assertEquals("C:\\ProgramData", ResponderWiring.windowsStateDir(java.util.Map.of()).getParent().toString());
    }

    static Stream<Arguments> unknownKeys() {
        return Stream.of(
                arguments("colective", 2, """
                        identity: web01
                        colective: prod
                        broker: tcp://mq1:61616

                        """),
                arguments("executer", 4, """
                        identity: web01
                        reboot:
                          command: [/usr/local/sbin/node-restart]
                          executer: command
                          command_timeout_s: 5
                        requests:
                          clock_skew_s: 10
                        """),
                arguments("clockSkewS", 3, """
                        # camelCase is not the file's style
                        requests:
                          clockSkewS: 10
                        """));
    }

    @ParameterizedTest(name = "{0} on line {1}")
    @MethodSource("unknownKeys")
    void unknownKeyIsNamedWithItsLine(String key, int line, String content) {
        Path file = write(dir, "responder.yaml", content);
        ConfigException e = assertThrows(ConfigException.class, () -> ResponderConfig.load(file));
        assertTrue(e.getMessage().startsWith("unknown key '" + key + "' in " + file + " at line " + line + ";"),
                e.getMessage());
        assertTrue(e.getMessage().contains("known keys here: "), e.getMessage());
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                arguments("identity: [web01\n", "at line"),
                arguments("requests:\n  clock_skew_s: soon\n", "at line 2"),
                arguments("- identity\n- web01\n", "cannot read"),
                arguments("reboot:\n  command: /sbin/node-restart\n", "cannot read"));
    }

    @ParameterizedTest
    @MethodSource("badFiles")
    void badSyntaxOrTypeIsRefusedNamingTheFile(String content, String expected) {
        Path file = write(dir, "responder.yaml", content);
        ConfigException e = assertThrows(ConfigException.class, () -> ResponderConfig.load(file));
        assertTrue(e.getMessage().startsWith("cannot read " + file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void sentinelCommandWithoutADetectorsListTurnsTheSentinelOn() throws Exception {
        ResponderConfig config = ResponderConfig.load(write(dir, "responder.yaml", """
                pending:
                  sentinel_command: [/usr/local/sbin/needs-reboot]
                """));

        List<String> expected = new java.util.ArrayList<>(ResponderWiring.DETECTORS);
        expected.add("sentinel_command");
        assertEquals(expected, config.pending().detectors());
    }

    @Test
    void compactConstructorsKeepTheirMeaning() {
        assertEquals(new ResponderConfig.Facts("/r", List.of("f"), null, 5, 300), new ResponderConfig.Facts("/r",
                List.of("f")));
        assertEquals(new ResponderConfig.Pending(List.of("kernel_update"), null, 10),
                new ResponderConfig.Pending(List.of("kernel_update")));
        assertEquals(ResponderWiring.DETECTORS, new ResponderConfig.Pending(null).detectors());
        assertNull(new ResponderConfig.Facts("/", null, " ", null, null).externalDir());
        assertNull(new ResponderConfig.Pending(null, List.of(), null).sentinelCommand());
    }

    @Test
    void blankBrokerAndEmptyCommandFallBackToDefaults() {
        ResponderConfig config = new ResponderConfig(null, null, " ", new ResponderConfig.Facts(" ", null), null,
                new ResponderConfig.Reboot(null, List.of(), null, null), null);
        assertEquals(ResponderConfig.DEFAULT_BROKER, config.broker());
        assertEquals("/", config.facts().root());
        assertNull(config.reboot().command());
    }
}
