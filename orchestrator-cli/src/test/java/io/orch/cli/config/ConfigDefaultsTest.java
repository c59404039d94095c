package io.orch.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orch.cli.commands.OrchCommand;
import io.orch.cli.config.ClientConfig.Key;
import io.orch.cli.options.BrokerOptions;
import io.orch.cli.options.DurationConverter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The configuration as the commands see it: through a real picocli parse of the {@code orch} command line. */
class ConfigDefaultsTest {
    @TempDir
    Path dir;

    /** A command with some of the configurable options, added the way the playground adds its commands. */
    @Command(name = "probe")
    static final class Probe implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        BrokerOptions broker;

        @Option(names = "--timeout", defaultValue = "20s", converter = DurationConverter.class)
        Duration timeout;

        @Option(names = "--wait-timeout", defaultValue = "15m", converter = DurationConverter.class)
        Duration waitTimeout;

        @Option(names = "--batch")
        String batch;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print("broker=" + broker.broker() + " collective="
                    + broker.destinations().collective() + " connect=" + broker.connectTimeout() + " timeout="
                    + timeout + " wait=" + waitTimeout + " batch=" + batch);
            return 0;
        }
    }

    record Result(int exitCode, String out, String err) {
    }

    private static Result run(ClientConfig config, String... args) {
        CommandLine cli = OrchCommand.commandLine(config, new Probe());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private Path file(String name, String... lines) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    @Test
    void flagWinsOverEnvironmentOverUserFileOverSystemFileOverDefault() throws IOException {
        Path system = file("system.yaml", "broker: tcp://system:61616", "collective: sys", "timeout: 7",
                "connect_timeout: 9s");
        Path user = file("user.yaml", "broker: tcp://user:61616", "collective: usr", "connect_timeout: 8s");
        ClientConfig config = ClientConfig.load(Map.of("ORCH_BROKER", "tcp://env:61616", "ORCH_CONNECT_TIMEOUT",
                "4s"), user, system);

        Result result = run(config, "probe", "--connect-timeout", "3s");

        assertEquals(new Result(0, "broker=tcp://env:61616 collective=usr connect=PT3S timeout=PT7S wait=PT15M "
                + "batch=null", ""), result);
    }

    @Test
    void withoutConfigurationTheOptionsKeepTheirOwnDefaults() {
        Result result = run(ClientConfig.load(Map.of(), dir.resolve("none.yaml"), null), "probe");
        assertEquals("broker=tcp://127.0.0.1:61616 collective=orch connect=PT5S timeout=PT20S wait=PT15M batch=null",
                result.out());
    }

    @Test
    void unknownKeyIsAnErrorNamingTheKeyAndTheFile() throws IOException {
        Path user = file("client.yaml", "brokr: tcp://typo:61616");
        Result result = run(ClientConfig.load(Map.of(), user, null), "ping");

        assertEquals(2, result.exitCode(), result::toString);
        assertEquals("orch: unknown key 'brokr' in " + user + " line 1; known keys: broker, collective, "
                + "connect_timeout, discovery_timeout, timeout, delay, batch, batch_sleep, wait_timeout, max_failures, security, ssl_dir, certname, ca, crl, cert, key, "
                + "inventory_forget_after, notify"
                + System.lineSeparator(), result.err());
        assertEquals("", result.out());
    }

    @Test
    void badDurationInAFileIsExitTwoNamingTheFileAndKeyWithoutAStackTrace() throws IOException {
        Path system = file("client.yaml", "wait_timeout: abc");
        Result result = run(ClientConfig.load(Map.of(), null, system), "reboot", "-F", "reboot_pending=true");

        assertEquals(2, result.exitCode(), result::toString);
        assertTrue(result.err().startsWith("orch: wait_timeout in " + system + " line 1: 'abc' is not a duration"),
                result::toString);
        assertFalse(result.err().contains("Exception") || result.err().contains("\tat "), result::toString);
    }

    @Test
    void brokenConfigurationDoesNotStopACommandThatGetsEveryValueFromFlags() throws IOException {
        Path user = file("client.yaml", "timeout: soon");
        Result result = run(ClientConfig.load(Map.of(), user, null), "probe", "--broker", "tcp://flag:1",
                "--collective", "c", "--connect-timeout", "1s", "--timeout", "2s", "--wait-timeout", "3s",
                "--batch", "1");
        assertEquals(new Result(0, "broker=tcp://flag:1 collective=c connect=PT1S timeout=PT2S wait=PT3S batch=1", ""),
                result);
    }

    @Test
    void helpStillWorksWithABrokenConfiguration() throws IOException {
        Path user = file("client.yaml", "brokr: x");
        Result result = run(ClientConfig.load(Map.of(), user, null), "reboot", "--help");
        assertEquals(0, result.exitCode(), result::toString);
        assertTrue(result.out().contains("--broker=URL"), result::toString);
    }

    @Test
    void helpShowsTheConfiguredValueAsTheDefault() {
        Result result = run(ClientConfig.load(Map.of("ORCH_BROKER", "tcp://env:61616"), null, null), "ping", "--help");
        assertTrue(result.out().contains("default: tcp://env:61616"), result::toString);
    }

    @Test
    void configShowJsonGivesEveryValueAndWhereItCameFrom() throws IOException {
        Path user = file("user.yaml", "delay: 2m", "batch: 10%");
        Path system = dir.resolve("etc/client.yaml");
        Result result = run(ClientConfig.load(Map.of("ORCH_COLLECTIVE", "lab", "ORCH_DELAY", ""), user, system),
                "config", "show", "--json");

        assertEquals(0, result.exitCode(), result::toString);
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertEquals("tcp://127.0.0.1:61616", json.at("/broker/value").asText());
        assertEquals("default", json.at("/broker/source").asText());
        assertEquals("lab", json.at("/collective/value").asText());
        assertEquals("env ORCH_COLLECTIVE", json.at("/collective/source").asText());
        assertEquals("2m", json.at("/delay/value").asText());
        assertEquals(user.toString(), json.at("/delay/source").asText());
        assertEquals("10%", json.at("/batch/value").asText());
        assertTrue(json.at("/max_failures/value").isNull());
        assertEquals(user.toString(), json.at("/files/0/path").asText());
        assertTrue(json.at("/files/0/exists").asBoolean());
        assertEquals(system.toString(), json.at("/files/1/path").asText());
        assertFalse(json.at("/files/1/exists").asBoolean());
        for (Key key : Key.values()) {
            assertTrue(json.has(key.configName()), key::toString);
        }
    }

    @Test
    void configShowPrintsATableAndTheFilesLookedAt() throws IOException {
        Path user = file("user.yaml", "wait_timeout: 30m");
        Path system = dir.resolve("etc/client.yaml");
        Result result = run(ClientConfig.load(Map.of("ORCH_BROKER", "tcp://env:61616"), user, system),
                "config", "show");

        assertEquals(0, result.exitCode(), result::toString);
        List<String> lines = result.out().lines().toList();
        assertEquals(List.of("KEY", "VALUE", "SOURCE"), List.of(lines.get(0).split("\\s+")));
        // Columns are as wide as their longest value: compare with the spacing collapsed.
        List<String> squeezed = lines.stream().map(l -> l.replaceAll(" {2,}", "  ")).toList();
        assertTrue(squeezed.contains("broker  tcp://env:61616  env ORCH_BROKER"), result::toString);
        assertTrue(squeezed.contains("wait_timeout  30m  " + user), result::toString);
        assertTrue(squeezed.contains("batch  (none: all at once)  default"), result::toString);
        assertTrue(squeezed.contains("security  verified  default"), result::toString);
        assertTrue(lines.contains("  " + user), result::toString);
        assertTrue(lines.contains("  " + system + " (not found)"), result::toString);
    }

    @Test
    void aWebhookFromTheEnvironmentIsShownWithoutItsSecretPath() throws IOException {
        Path user = file("user.yaml", "notify: https://hooks.example.com:8443/services/T0/B0/secret");
        for (String format : List.of("table", "json")) {
            Result result = format.equals("json")
                    ? run(ClientConfig.load(Map.of(), user, null), "config", "show", "--json")
                    : run(ClientConfig.load(Map.of(), user, null), "config", "show");

            assertEquals(0, result.exitCode(), result::toString);
            assertTrue(result.out().contains("https://hooks.example.com:8443/..."), result::toString);
            assertFalse(result.out().contains("secret"), result::toString);
        }
    }

    @Test
    void aWebhookThatIsNotHttpInAFileIsExitTwoNamingTheKey() throws IOException {
        Path user = file("user.yaml", "notify: mailto:ops@example.com");
        Result result = run(ClientConfig.load(Map.of(), user, null), "config", "show");

        assertEquals(2, result.exitCode(), result::toString);
        assertTrue(result.err().contains("notify"), result::toString);
        assertTrue(result.err().contains("is not an http or https address"), result::toString);
    }

    @Test
    void configShowWithABrokenFileIsExitTwo() throws IOException {
        Path user = file("user.yaml", "max_failures: lots");
        Result result = run(ClientConfig.load(Map.of(), user, null), "config", "show");
        assertEquals(2, result.exitCode(), result::toString);
        assertTrue(result.err().startsWith("orch: max_failures in " + user + " line 1: 'lots' is not a count"),
                result::toString);
    }

    /** The table in ClientConfig repeats the options' own defaults for {@code orch config show}; they must agree. */
    @Test
    void defaultsTableMatchesTheOptionsDefaults() {
        CommandLine cli = OrchCommand.commandLine(ClientConfig.defaultsOnly());
        List<String> checked = new ArrayList<>();
        List<CommandLine> commands = new ArrayList<>(List.of(cli));
        for (int i = 0; i < commands.size(); i++) {
            CommandLine command = commands.get(i);
            commands.addAll(command.getSubcommands().values());
            for (OptionSpec option : command.getCommandSpec().options()) {
                Key key = Key.forOption(option.longestName()).orElse(null);
                if (key == null) {
                    continue;
                }
                String where = command.getCommandSpec().qualifiedName() + " " + option.longestName();
                String annotated = option.defaultValue();
                if (key.defaultValue() == null || annotated == null) {
                    assertNull(annotated, where + " has a default; put it in ClientConfig.Key too");
                    assertNull(key.defaultValue(), where + " has no default, but ClientConfig.Key has one");
                } else if (key.isDuration()) {
                    assertEquals(key.duration(key.defaultValue()), key.duration(annotated), where);
                } else {
                    assertEquals(key.defaultValue(), annotated, where);
                }
                checked.add(where);
            }
        }
        for (Key key : Key.values()) {
            assertTrue(checked.stream().anyMatch(where -> where.endsWith(" " + key.option())),
                    "no command has " + key.option() + ", so " + key.configName() + " configures nothing: " + checked);
        }
        assertTrue(checked.contains("orch ping --timeout"), checked::toString);
    }
}
