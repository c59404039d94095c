package io.orch.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.cli.UsageException;
import io.orch.cli.config.ClientConfig.ConfigFile;
import io.orch.cli.config.ClientConfig.Key;
import io.orch.cli.config.ClientConfig.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientConfigTest {
    @TempDir
    Path dir;

    private Path file(String name, String... lines) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    private String onlyProblem(ClientConfig config) {
        assertEquals(1, config.problems().size(), config.problems()::toString);
        return config.problems().get(0);
    }

    @Test
    void environmentWinsOverTheUserFileWhichWinsOverTheSystemFileWhichWinsOverTheDefault() throws IOException {
        Path system = file("system.yaml", "broker: tcp://system:61616", "collective: sys", "timeout: 7s");
        Path user = file("user.yaml", "broker: tcp://user:61616", "collective: usr");
        ClientConfig config = ClientConfig.load(Map.of("ORCH_BROKER", "tcp://env:61616"), user, system);

        assertEquals(new Setting(Key.BROKER, "tcp://env:61616", "env ORCH_BROKER"), config.setting(Key.BROKER));
        assertEquals(new Setting(Key.COLLECTIVE, "usr", user.toString()), config.setting(Key.COLLECTIVE));
        assertEquals(new Setting(Key.TIMEOUT, "7s", system.toString()), config.setting(Key.TIMEOUT));
        assertEquals(new Setting(Key.WAIT_TIMEOUT, "15m", "default"), config.setting(Key.WAIT_TIMEOUT));
        assertEquals(new Setting(Key.BATCH, null, "default"), config.setting(Key.BATCH));
        assertEquals(List.of(new ConfigFile(user, true), new ConfigFile(system, true)), config.files());
    }

    @Test
    void missingFilesAreSkippedAndListedAsNotFound() {
        Path user = dir.resolve("nope/client.yaml");
        Path system = dir.resolve("etc/client.yaml");
        ClientConfig config = ClientConfig.load(Map.of(), user, system);

        assertEquals(List.of(), config.problems());
        assertEquals(List.of(new ConfigFile(user, false), new ConfigFile(system, false)), config.files());
        config.settings().forEach(s -> assertTrue(s.isDefault(), s::toString));
        assertEquals("tcp://127.0.0.1:61616", config.setting(Key.BROKER).value());
    }

    @Test
    void emptyFileAndCommentsOnlyAreFine() throws IOException {
        Path user = file("user.yaml", "# nothing yet", "");
        Path system = file("system.yaml", "");
        ClientConfig config = ClientConfig.load(Map.of(), user, system);
        assertEquals(List.of(), config.problems());
        assertTrue(config.setting(Key.DELAY).isDefault());
    }

    @Test
    void emptyEnvironmentValuesAreIgnored() throws IOException {
        Path user = file("user.yaml", "broker: tcp://user:61616");
        ClientConfig config = ClientConfig.load(Map.of("ORCH_BROKER", "", "ORCH_DELAY", "  "), user, null);
        assertEquals(List.of(), config.problems());
        assertEquals(user.toString(), config.setting(Key.BROKER).source());
        assertTrue(config.setting(Key.DELAY).isDefault());
    }

    @Test
    void orchConfigReplacesTheUserFile() throws IOException {
        Path user = file("user.yaml", "delay: 5m");
        Path named = file("named.yaml", "delay: 2m");
        ClientConfig config = ClientConfig.load(Map.of("ORCH_CONFIG", named.toString()), user, null);
        assertEquals(new Setting(Key.DELAY, "2m", named.toString()), config.setting(Key.DELAY));
        assertEquals(List.of(new ConfigFile(named, true)), config.files());
    }

    @Test
    void orchConfigNamingAMissingFileIsAnError() {
        Path named = dir.resolve("typo.yaml");
        ClientConfig config = ClientConfig.load(Map.of("ORCH_CONFIG", named.toString()), null, null);
        String problem = onlyProblem(config);
        assertTrue(problem.contains("ORCH_CONFIG") && problem.contains(named.toString()), problem);
    }

    @Test
    void unknownKeyIsAProblemNamingTheKeyTheFileTheLineAndTheKnownKeys() throws IOException {
        Path user = file("user.yaml", "broker: tcp://user:61616", "", "brokr: tcp://typo:61616");
        UsageException e = assertThrows(UsageException.class,
                () -> ClientConfig.load(Map.of(), user, null).setting(Key.BROKER));
        assertEquals("unknown key 'brokr' in " + user + " line 3; known keys: broker, collective, connect_timeout, "
                + "discovery_timeout, timeout, delay, batch, batch_sleep, wait_timeout, max_failures, security, ssl_dir, certname, ca, crl, cert, key, inventory_forget_after, notify", e.getMessage());
    }

    @Test
    void badDurationInAFileNamesTheKeyTheFileAndTheLine() throws IOException {
        Path system = file("system.yaml", "timeout: 20s", "wait_timeout: abc");
        String problem = onlyProblem(ClientConfig.load(Map.of(), null, system));
        assertEquals("wait_timeout in " + system + " line 2: 'abc' is not a duration; use e.g. 500ms, 10s, 2m or 1h",
                problem);
    }

    @Test
    void badValueInTheEnvironmentNamesTheVariable() {
        String problem = onlyProblem(ClientConfig.load(Map.of("ORCH_WAIT_TIMEOUT", "soon"), null, null));
        assertTrue(problem.startsWith("ORCH_WAIT_TIMEOUT: 'soon' is not a duration"), problem);
    }

    @Test
    void numbersInAFileAreTakenAsTheyAreSoDurationsAreSeconds() throws IOException {
        Path user = file("user.yaml", "timeout: 30", "batch: 5", "max_failures: 10%");
        ClientConfig config = ClientConfig.load(Map.of(), user, null);
        assertEquals("30", config.setting(Key.TIMEOUT).value());
        assertEquals("5", config.setting(Key.BATCH).value());
        assertEquals("10%", config.setting(Key.MAX_FAILURES).value());
    }

    @Test
    void countsMustBeAtLeastOneAndPercentAtMostAHundred() throws IOException {
        Path user = file("user.yaml", "batch: 0", "max_failures: 150%");
        ClientConfig config = ClientConfig.load(Map.of("ORCH_BATCH", "some"), user, null);
        assertEquals(List.of(
                "ORCH_BATCH: 'some' is not a count; use N or N% (e.g. 10 or 10%)",
                "batch in " + user + " line 1: '0' must be at least 1",
                "max_failures in " + user + " line 2: '150%' is more than 100%"), config.problems());
    }

    @Test
    void zeroTimeoutsAreRefusedButAZeroDelayIsFine() throws IOException {
        Path user = file("user.yaml", "delay: 0", "batch_sleep: 0s", "connect_timeout: 0s");
        assertEquals("connect_timeout in " + user + " line 3: '0s' must be more than 0",
                onlyProblem(ClientConfig.load(Map.of(), user, null)));
    }

    @Test
    void invalidCollectiveIsAProblem() throws IOException {
        Path user = file("user.yaml", "collective: a.b>");
        String problem = onlyProblem(ClientConfig.load(Map.of(), user, null));
        assertTrue(problem.startsWith("collective in " + user + " line 1: invalid collective 'a.b>'"), problem);
    }

    @Test
    void valuesThatAreNotSingleValuesAreProblems() throws IOException {
        Path user = file("user.yaml", "broker:", "delay: [1m]", "batch: {n: 1}", "timeout: true");
        assertEquals(List.of(
                "broker in " + user + " line 1: no value; give one, or remove the line",
                "delay in " + user + " line 2: expected a single value, got a list",
                "batch in " + user + " line 3: expected a single value, got a mapping",
                "timeout in " + user + " line 4: expected a string or a number, got true"),
                ClientConfig.load(Map.of(), user, null).problems());
    }

    @Test
    void aKeySetTwiceIsAProblem() throws IOException {
        Path user = file("user.yaml", "delay: 1m", "delay: 2m");
        assertEquals("delay in " + user + " line 2: set twice (first on line 1)",
                onlyProblem(ClientConfig.load(Map.of(), user, null)));
    }

    @Test
    void problemsOfAFileAreReportedInLineOrder() throws IOException {
        Path user = file("user.yaml", "delay: soon", "colective: x", "delay: 2m");
        assertEquals(List.of(
                "delay in " + user + " line 1: 'soon' is not a duration; use e.g. 500ms, 10s, 2m or 1h",
                "unknown key 'colective' in " + user + " line 2; known keys: " + Key.configNames(),
                "delay in " + user + " line 3: set twice (first on line 1)"),
                ClientConfig.load(Map.of(), user, null).problems());
    }

    @Test
    void documentThatIsNotAMappingIsAProblemNamingTheFile() throws IOException {
        Path list = file("list.yaml", "- broker: tcp://a:61616");
        Path scalar = file("scalar.yaml", "tcp://a:61616");
        assertEquals(list + " must be a mapping of key: value lines (like 'broker: tcp://broker:61616'), not a list",
                onlyProblem(ClientConfig.load(Map.of(), list, null)));
        assertTrue(onlyProblem(ClientConfig.load(Map.of(), scalar, null)).endsWith("not a single value"));
    }

    @Test
    void badYamlIsAProblemNamingTheFileAndLine() throws IOException {
        Path user = file("user.yaml", "broker: tcp://a:61616", "delay: [1m", "timeout: 5s");
        String problem = onlyProblem(ClientConfig.load(Map.of(), user, null));
        assertTrue(problem.startsWith("cannot read " + user + ": "), problem);
        assertTrue(problem.matches("(?s).* at line \\d+"), problem);
    }

    @Test
    void unreadableFileIsAProblemNotSkipped() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("client.yaml"));
        String problem = onlyProblem(ClientConfig.load(Map.of(), folder, null));
        assertTrue(problem.startsWith("cannot read " + folder + ": "), problem);
    }

    @Test
    void everyProblemIsReportedFirstOneAsTheMessageTheRestAsDetail() throws IOException {
        Path user = file("user.yaml", "delay: soon");
        Path system = file("system.yaml", "colective: x");
        UsageException e = assertThrows(UsageException.class,
                () -> ClientConfig.load(Map.of(), user, system).requireValid());
        assertTrue(e.getMessage().startsWith("delay in " + user), e.getMessage());
        assertTrue(e.detail().startsWith("orch: unknown key 'colective' in " + system), e.detail());
    }

    @Test
    void userFileFollowsXdgConfigHomeWhenItIsAnAbsolutePath() {
        Path home = Path.of("/home/ann");
        assertEquals(Path.of("/home/ann/.config/orch/client.yaml"), ClientConfig.defaultUserFile(Map.of(), home));
        assertEquals(Path.of("/xdg/orch/client.yaml"),
                ClientConfig.defaultUserFile(Map.of("XDG_CONFIG_HOME", "/xdg"), home));
        assertEquals(Path.of("/home/ann/.config/orch/client.yaml"),
                ClientConfig.defaultUserFile(Map.of("XDG_CONFIG_HOME", ""), home));
        assertEquals(Path.of("/home/ann/.config/orch/client.yaml"),
                ClientConfig.defaultUserFile(Map.of("XDG_CONFIG_HOME", "relative"), home));
    }

    @Test
    void defaultsOnlyLooksAtNothing() {
        ClientConfig config = ClientConfig.defaultsOnly();
        assertEquals(List.of(), config.files());
        assertFalse(config.settings().stream().anyMatch(s -> !s.isDefault()));
    }

    @Test
    void keysMapToOptionsAndEnvironmentVariables() {
        assertEquals("--wait-timeout", Key.WAIT_TIMEOUT.option());
        assertEquals("ORCH_WAIT_TIMEOUT", Key.WAIT_TIMEOUT.env());
        assertEquals(Key.MAX_FAILURES, Key.forOption("--max-failures").orElseThrow());
        assertTrue(Key.forOption("--nodes").isEmpty());
    }
}
