package io.orch.responder.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.orch.protocol.Limits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The command executor, run against a harmless script in a temporary folder that only writes
 * its arguments to a file: no test here ever starts a real reboot.
 */
class CommandRebootExecutorTest {

    @TempDir
    Path dir;

    private Path argsFile;
    private Path recordArgs;

    @BeforeEach
    void harmlessScript() throws Exception {
        argsFile = dir.resolve("argv.txt");
        recordArgs = script("record-args.sh", "for a in \"$@\"; do printf '%s\\n' \"$a\"; done > '" + argsFile + "'");
    }

    private Path script(String name, String body) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private static RebootPlan plan(long delaySeconds, String message) {
        return new RebootPlan("req-42", Duration.ofSeconds(delaySeconds), message, List.of("reboot_required"));
    }

    @Test
    void placeholdersAreFilledAndEachArgumentArrivesWhole() throws Exception {
        CommandRebootExecutor executor = new CommandRebootExecutor(List.of(recordArgs.toString(), "-r",
                "+{delay_min}", "{delay_s}", "{message}", "id={request_id}", "$HOME", "*"), 10);

        executor.reboot(plan(90, "patch night: it's \"time\" $(id) ; done"));

        assertEquals(List.of("-r", "+2", "90", "patch night: it's \"time\" $(id) ; done", "id=req-42", "$HOME", "*"),
                Files.readAllLines(argsFile, StandardCharsets.UTF_8), "no shell: nothing is expanded or split");
    }

    @Test
    void placeholdersAreFilledInOnePassSoAMessageThatLooksLikeOneStaysLiteral() throws Exception {
        CommandRebootExecutor executor = new CommandRebootExecutor(List.of(recordArgs.toString(), "{message}",
                "{message}:{request_id}", "{delay_s}{unknown}"), 10);

        executor.reboot(plan(90, "see {request_id} and {delay_min}, $1 \\ done"));

        assertEquals(List.of("see {request_id} and {delay_min}, $1 \\ done",
                        "see {request_id} and {delay_min}, $1 \\ done:req-42", "90{unknown}"),
                Files.readAllLines(argsFile, StandardCharsets.UTF_8));
    }

    @Test
    void chattyCommandDoesNotBlockOnAFullPipe() throws Exception {
        // 2 MB of output: far more than a pipe holds, so reading only after the exit would hang until the timeout.
        Path chatty = script("chatty.sh", "head -c 2097152 /dev/zero; echo done > '" + argsFile + "'");
        CommandRebootExecutor executor = new CommandRebootExecutor(List.of(chatty.toString()), 20);

        executor.reboot(plan(60, "bye"));

        assertEquals(List.of("done"), Files.readAllLines(argsFile));
    }

    @Test
    void errorCarriesOnlyTheStartOfALongOutput() throws Exception {
        Path failing = script("fail-loudly.sh", "i=0; while [ $i -lt 1000 ]; do echo \"line $i of complaints\"; "
                + "i=$((i+1)); done; exit 4");
        CommandRebootExecutor executor = new CommandRebootExecutor(List.of(failing.toString()), 20);

        RebootException e = assertThrows(RebootException.class, () -> executor.reboot(plan(60, "bye")));

        String prefix = "reboot command exited 4: [" + failing + "]: ";
        assertTrue(e.getMessage().startsWith(prefix + "line 0 of complaints\nline 1 of complaints"), e.getMessage());
        String output = e.getMessage().substring(prefix.length());
        assertEquals(Limits.MAX_REBOOT_OUTPUT_CHARS + "...".length(), output.length(), output);
        assertTrue(output.endsWith("..."), output);
    }

    @ParameterizedTest(name = "{0}s -> +{1}")
    @CsvSource({"0, 0", "1, 1", "59, 1", "60, 1", "61, 2", "119, 2", "120, 2", "3599, 60", "86400, 1440"})
    void delayMinutesRoundUpSoTheRebootNeverComesEarly(long seconds, long minutes) {
        CommandRebootExecutor executor = new CommandRebootExecutor(List.of("/bin/true", "+{delay_min}", "{delay_s}"), 10);
        assertEquals(List.of("/bin/true", "+" + minutes, Long.toString(seconds)), executor.argv(plan(seconds, "m")));
    }

    @Test
    void nonZeroExitIsARebootExceptionWithTheOutput() throws Exception {
        Path failing = script("refuse.sh", "echo 'Failed to set wall message' >&2; exit 3");
        CommandRebootExecutor executor = new CommandRebootExecutor(List.of(failing.toString(), "{message}"), 10);

        RebootException e = assertThrows(RebootException.class, () -> executor.reboot(plan(60, "bye")));

        assertTrue(e.getMessage().startsWith("reboot command exited 3: "), e.getMessage());
        assertTrue(e.getMessage().endsWith(": Failed to set wall message"), e.getMessage());
    }

    @Test
    void missingCommandIsARebootException() {
        CommandRebootExecutor executor = new CommandRebootExecutor(List.of(dir.resolve("absent").toString()), 10);
        RebootException e = assertThrows(RebootException.class, () -> executor.reboot(plan(60, "bye")));
        assertTrue(e.getMessage().startsWith("cannot run reboot command"), e.getMessage());
    }

    @Test
    void commandThatHangsIsStoppedAndReported() throws Exception {
        Path hanging = script("hang.sh", "exec sleep 600");
        CommandRebootExecutor executor = new CommandRebootExecutor(List.of(hanging.toString()), 1);
        RebootException e = assertThrows(RebootException.class, () -> executor.reboot(plan(60, "bye")));
        assertTrue(e.getMessage().startsWith("reboot command did not finish within 1s"), e.getMessage());
    }

    @Test
    void commandThatHangsIsKilledWithEverythingItStarted() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        Path hanging = script("hang-with-child.sh", "sleep 600 &\necho $! > '" + pidFile + "'\nwait");
        CommandRebootExecutor executor = new CommandRebootExecutor(List.of(hanging.toString()), 1);

        RebootException e = assertThrows(RebootException.class, () -> executor.reboot(plan(60, "bye")));

        assertEquals("reboot command did not finish within 1s: [" + hanging + "]", e.getMessage());
        long child = Long.parseLong(Files.readString(pidFile).strip());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(
                () -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    }

    @Test
    void errorCarriesWhatTheCommandPrintedOnBothStreams() throws Exception {
        Path failing = script("both.sh", "echo 'on stdout'; echo 'on stderr' >&2; exit 1");
        CommandRebootExecutor executor = new CommandRebootExecutor(List.of(failing.toString()), 5);

        RebootException e = assertThrows(RebootException.class, () -> executor.reboot(plan(60, "bye")));

        assertTrue(e.getMessage().endsWith(": on stdout\non stderr"), e.getMessage());
    }

    static Stream<Arguments> emptyCommands() {
        return Stream.of(
                arguments((Object) null),
                arguments(List.of()),
                arguments(List.of("")),
                arguments(List.of("  ", "-r")));
    }

    @ParameterizedTest
    @MethodSource("emptyCommands")
    void emptyCommandIsRefusedAtConstruction(List<String> command) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CommandRebootExecutor(command, 10));
        assertEquals("reboot command is empty; set reboot.command in the node config", e.getMessage());
    }

    @Test
    void commandIsCopiedAtConstruction() throws Exception {
        List<String> command = new ArrayList<>(Arrays.asList(recordArgs.toString(), "{delay_s}"));
        CommandRebootExecutor executor = new CommandRebootExecutor(command, 10);
        command.set(0, "/nonexistent");

        executor.reboot(plan(5, "m"));

        assertEquals(List.of("5"), Files.readAllLines(argsFile));
    }

    @Test
    void describeQuotesArgumentsLikeAShellWould() {
        CommandRebootExecutor executor = new CommandRebootExecutor(List.of("/opt/x/reboot-node", "-r",
                "+{delay_min}", "{message}", ""), 10);
        assertEquals("/opt/x/reboot-node -r +1 'it'\\''s patch night' ''", executor.describe(plan(60,
                "it's patch night")));
    }

    @Test
    void loggingExecutorNeverRunsTheCommand() throws Exception {
        Path marker = dir.resolve("ran");
        Path touch = script("touch.sh", "touch '" + marker + "'");
        CommandRebootExecutor wouldRun = new CommandRebootExecutor(List.of(touch.toString(), "+{delay_min}"), 10);
        LoggingRebootExecutor executor = new LoggingRebootExecutor(wouldRun);

        executor.reboot(plan(60, "bye"));

        assertFalse(Files.exists(marker));
        assertEquals("log only (would run: " + touch + " +1)", executor.describe(plan(60, "bye")));

        wouldRun.reboot(plan(60, "bye"));
        assertTrue(Files.exists(marker), "the script itself works, so the check above means something");
    }

    @Test
    void planRefusesNegativeDelay() {
        assertThrows(IllegalArgumentException.class, () -> plan(-1, "m"));
    }
}
