package io.orch.responder.facts;

import static io.orch.responder.Fixture.write;
import static io.orch.responder.Scripts.script;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.orch.protocol.Limits;
import io.orch.responder.Scripts;
import io.orch.responder.Scripts.FakeRunner;
import io.orch.responder.command.CommandResult;
import io.orch.responder.command.ProcessCommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** facts.d: every executable prints a JSON object or key=value lines; one bad script only costs its own facts. */
class ExternalFactsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    static Stream<Arguments> goodOutputs() {
        return Stream.of(
                arguments("key=value lines", "role=web\nrack = r12 \n", Map.of("role", "web", "rack", "r12")),
                arguments("value holding '='", "dsn=host=db;port=5432\n", Map.of("dsn", "host=db;port=5432")),
                arguments("empty value", "maintenance=\n", Map.of("maintenance", "")),
                arguments("blank lines and CRLF", "\r\na=1\r\n\r\nb=2\r\n", Map.of("a", "1", "b", "2")),
                arguments("later line wins", "a=1\na=2\n", Map.of("a", "2")),
                arguments("JSON object, nested, typed", "{\"role\":\"db\",\"dc\":{\"rack\":\"r1\"},\"cores\":8,"
                        + "\"ssd\":true}", Map.of("role", "db", "dc", Map.of("rack", "r1"), "cores", 8, "ssd", true)),
                arguments("JSON object with surrounding whitespace", "\n  {\"a\": null}\n", java.util.Collections
                        .singletonMap("a", null)),
                arguments("nothing at all", "", Map.of()),
                arguments("only whitespace", " \n\t\n", Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodOutputs")
    void jsonObjectOrKeyValueLinesAreFacts(String what, String output, Map<String, Object> facts) {
        assertEquals(facts, ExternalFacts.parse(output));
    }

    static Stream<Arguments> badOutputs() {
        return Stream.of(
                arguments("a line without '='", "role=web\noops\n", "output line 2 is not key=value"),
                arguments("a line starting with '='", "=web\n", "output line 1 is not key=value"),
                arguments("blank key", "  =web\n", "output line 1 is not key=value"),
                arguments("dotted key in a line", "os.family=Windows\n", "fact name 'os.family' contains '.'"),
                arguments("dotted key in JSON", "{\"os.family\":\"Windows\"}", "fact name 'os.family' contains '.'"),
                arguments("broken JSON", "{\"role\": ", "output is not a valid JSON object"),
                arguments("JSON followed by junk", "{\"a\":1} trailing", "output is not a valid JSON object"),
                arguments("two JSON objects", "{\"a\":1}\n{\"b\":2}", "output is not a valid JSON object"),
                arguments("JSON array", "[1, 2]", "output must be a JSON object or key=value lines, got JSON array"),
                arguments("JSON string", "\"web\"", "output must be a JSON object or key=value lines, got JSON string"),
                arguments("plain text", "Hello, world", "output line 1 is not key=value"),
                arguments("binary", "\u0000\u0007\uFFFD", "output line 1 is not key=value"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOutputs")
    void anythingElseIsRefusedSayingWhy(String what, String output, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExternalFacts.parse(output));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void everyExecutableRunsInTheFolderAndNothingElseRuns() throws Exception {
        Path a = script(dir, "a-role.sh", "echo role=web");
        Path b = script(dir, "b-where", "echo \"{\\\"cwd\\\": \\\"$(pwd)\\\"}\"");
        write(dir, "README", "role=not-a-script");
        Path hidden = script(dir, ".hidden.sh", "echo hidden=yes");
        Files.createDirectories(dir.resolve("sub.d"));

        Map<Path, ExternalFacts.Outcome> outcomes = new ExternalFacts(dir, TIMEOUT, new ProcessCommandRunner()).run();

        assertEquals(List.of(a, b), List.copyOf(outcomes.keySet()));
        assertEquals(Map.of("role", "web"), outcomes.get(a).facts());
        assertEquals(Map.of("cwd", dir.toRealPath().toString()), outcomes.get(b).facts());
        assertTrue(outcomes.values().stream().allMatch(ExternalFacts.Outcome::ok));
        assertTrue(Files.exists(hidden));
    }

    static Stream<Arguments> failingScripts() {
        return Stream.of(
                arguments("non-zero exit, reason on stderr", "echo role=web; echo 'no database' >&2; exit 3",
                        "exited 3: no database"),
                arguments("non-zero exit, reason on stdout", "echo 'half done'; exit 1", "exited 1: half done"),
                arguments("silent non-zero exit", "exit 2", "exited 2"),
                arguments("output that is neither", "echo 'this is not a fact'",
                        "output line 1 is not key=value (nor is the output a JSON object): this is not a fact"),
                arguments("hangs past its timeout", "sleep 30", "did not finish within 1s; killed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failingScripts")
    void failingScriptGivesAnErrorAndNoFactsWhileTheOthersStillCount(String what, String body, String error)
            throws Exception {
        Path bad = script(dir, "bad.sh", body);
        Path good = script(dir, "good.sh", "echo rack=r12");

        Map<Path, ExternalFacts.Outcome> outcomes =
                new ExternalFacts(dir, Duration.ofSeconds(1), new ProcessCommandRunner()).run();

        assertEquals(error, outcomes.get(bad).error());
        assertEquals(Map.of(), outcomes.get(bad).facts());
        assertEquals(new ExternalFacts.Outcome(Map.of("rack", "r12"), null), outcomes.get(good));
    }

    static Stream<Arguments> untrustedScripts() {
        return Stream.of(
                arguments("owned by another user", "chown 4242", "is owned by uid 4242, not root, and the responder "
                        + "runs it as root; fix: chown root "),
                arguments("writable by its group", "chmod g+w", "is writable by group or others (mode 0775), and "
                        + "the responder runs it as root; fix: chmod go-w "),
                arguments("writable by others", "chmod o+w", "is writable by group or others (mode 0757)"));
    }

    @ParameterizedTest(name = "script {0}")
    @MethodSource("untrustedScripts")
    void scriptAnyoneButRootCouldChangeIsNotRunAndSaysHowToFixIt(String what, String change, String says)
            throws Exception {
        Path ran = dir.resolve("ran");
        Path bad = script(dir, "bad.sh", "touch '" + ran + "'; echo role=evil");
        Files.setPosixFilePermissions(bad, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path good = script(dir, "good.sh", "echo rack=r12");
        Scripts.change(bad, change);

        Map<Path, ExternalFacts.Outcome> outcomes = new ExternalFacts(dir, TIMEOUT, new ProcessCommandRunner()).run();

        assertTrue(outcomes.get(bad).error().startsWith("not run: " + bad.toRealPath() + " " + says),
                outcomes.get(bad).error());
        assertEquals(Map.of(), outcomes.get(bad).facts());
        assertTrue(Files.notExists(ran), "never run");
        assertEquals(Map.of("rack", "r12"), outcomes.get(good).facts());
    }

    @Test
    void folderOthersCanWriteRunsNoneOfItsScripts() throws Exception {
        Path facts = Files.createDirectory(dir.resolve("facts.d"));
        Path s = script(facts, "role.sh", "echo role=web");
        Scripts.change(facts, "chmod o+w");

        ExternalFacts.Outcome outcome = new ExternalFacts(facts, TIMEOUT, new ProcessCommandRunner()).run().get(s);

        assertTrue(outcome.error().startsWith("not run: the folder of " + s.toRealPath() + ", " + facts.toRealPath()
                + " is writable by group or others"), outcome.error());
    }

    @Test
    void folderAboveTheFactsFolderThatOthersCanWriteRunsNoneOfItsScripts() throws Exception {
        Path above = Files.createDirectories(dir.resolve("etc"));
        Path facts = Files.createDirectories(above.resolve("facts.d"));
        Files.setPosixFilePermissions(facts, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path ran = dir.resolve("ran");
        Path s = script(facts, "role.sh", "touch '" + ran + "'; echo role=web");
        Scripts.change(above, "chmod 0777"); // others could rename facts.d away and put their own in its place

        ExternalFacts.Outcome outcome = new ExternalFacts(facts, TIMEOUT, new ProcessCommandRunner()).run().get(s);

        assertTrue(outcome.error().startsWith("not run: a folder above " + s.toRealPath() + ", " + above.toRealPath()
                + " is writable by group or others (mode 0777)"), outcome.error());
        assertTrue(Files.notExists(ran), "never run");
    }

    @Test
    void aScriptThatIsASymlinkOfRootsRunsByItsNameOnceBothAreChecked() throws Exception {
        Path facts = Files.createDirectories(dir.resolve("facts.d"));
        Path real = script(dir.resolve("lib"), "role.sh", "echo role=web");
        Path link = Files.createSymbolicLink(facts.resolve("role.sh"), real);
        FakeRunner runner = FakeRunner.always(CommandResult.of(0, "role=web"));

        new ExternalFacts(facts, TIMEOUT, runner).run();

        // The link, its folders and the real file's are root's alone: the name cannot be repointed.
        assertEquals(List.of(List.of(link.toAbsolutePath().normalize().toString())), runner.calls, "not " + real);
    }

    @Test
    void scriptPrintingWithoutEndIsKilledAtTheFactScriptLimit() throws Exception {
        Path s = script(dir, "endless.sh", "yes role=web");

        // A minute's timeout: only the limit can end this run.
        ExternalFacts.Outcome outcome = new ExternalFacts(dir, Duration.ofSeconds(60), new ProcessCommandRunner())
                .run().get(s);

        assertEquals("printed more than " + Limits.MAX_FACT_SCRIPT_OUTPUT_BYTES + " bytes "
                + "(Limits.MAX_FACT_SCRIPT_OUTPUT_BYTES); killed", outcome.error());
        assertEquals(Map.of(), outcome.facts());
    }

    @Test
    void outputCutOffAtTheLimitIsAnError() throws Exception {
        Path s = script(dir, "huge.sh", "exit 0");
        FakeRunner runner = FakeRunner.always(new CommandResult(0, "a=1\n", true, ""));

        ExternalFacts.Outcome outcome = new ExternalFacts(dir, TIMEOUT, runner).run().get(s);

        assertEquals("printed more than " + Limits.MAX_FACT_SCRIPT_OUTPUT_BYTES + " bytes "
                + "(Limits.MAX_FACT_SCRIPT_OUTPUT_BYTES); killed", outcome.error());
        assertEquals(List.of(List.of(s.toAbsolutePath().toString())), runner.calls);
        assertEquals(dir, runner.workDirs.get(List.of(s.toAbsolutePath().toString())));
    }

    @Test
    void runnerThatIgnoresItsTimeoutStillCannotHoldThePassUp() throws Exception {
        Path s = script(dir, "stuck.sh", "exit 0");
        FakeRunner stuck = new FakeRunner(argv -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return CommandResult.of(0, "late=yes");
        });

        ExternalFacts.Outcome outcome = new ExternalFacts(dir, Duration.ofSeconds(1), stuck).run().get(s);

        assertEquals("did not finish within 1s", outcome.error());
    }

    @Test
    void emptyFolderGivesNothing() throws Exception {
        assertEquals(Map.of(), new ExternalFacts(dir, TIMEOUT, new ProcessCommandRunner()).run());
    }

    @Test
    void outcomeWithoutFactsHasAnEmptyMap() {
        assertEquals(Map.of(), new ExternalFacts.Outcome(null, "x").facts());
        assertNull(new ExternalFacts.Outcome(Map.of(), null).error());
    }
}
