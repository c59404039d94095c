package io.orch.responder.command;

import static io.orch.responder.Scripts.script;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import io.orch.protocol.Limits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands run without a shell, in the folder asked for, and never past their timeout. */
class ProcessCommandRunnerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final ProcessCommandRunner runner = new ProcessCommandRunner();

    @Test
    void exitCodeOutputAndErrorsAreKeptApart() throws Exception {
        Path s = script(dir, "talk.sh", "echo out; echo err >&2; exit 3");

        CommandResult result = runner.run(List.of(s.toString()), null, TIMEOUT);

        assertEquals(new CommandResult(3, "out\n", false, "err\n"), result);
    }

    @Test
    void argumentsAreNotInterpretedByAShell() throws Exception {
        Path s = script(dir, "args.sh", "printf '%s|' \"$@\"");

        CommandResult result = runner.run(List.of(s.toString(), "a b", "$(touch pwned)", ";", "*"), dir, TIMEOUT);

        assertEquals("a b|$(touch pwned)|;|*|", result.output());
        assertFalse(Files.exists(dir.resolve("pwned")));
    }

    @Test
    void commandRunsInTheFolderAskedFor() throws Exception {
        Path s = script(dir, "where.sh", "pwd");
        Path other = Files.createDirectories(dir.resolve("other"));

        assertEquals(other.toRealPath().toString(), runner.run(List.of(s.toString()), other, TIMEOUT).output().strip());
    }

    @Test
    void commandThatWaitsForInputSeesEndOfFile() throws Exception {
        Path s = script(dir, "read.sh", "cat; echo done");

        assertEquals("done\n", runner.run(List.of(s.toString()), null, TIMEOUT).output());
    }

    @Test
    void hangingCommandIsKilledWithItsChildrenAtTheTimeout() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        Path s = script(dir, "hang.sh", "sleep 30 &\necho $! > '" + pidFile + "'\nwait");

        CommandTimeoutException e = assertThrows(CommandTimeoutException.class,
                () -> runner.run(List.of(s.toString()), null, Duration.ofSeconds(1)));

        assertEquals("[" + s + "] did not finish within 1s; killed", e.getMessage());
        long child = Long.parseLong(Files.readString(pidFile).strip());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(
                () -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    }

    @Test
    void outputOverTheLimitIsCutAndMarked() throws Exception {
        Path s = script(dir, "chatty.sh", "head -c " + (Limits.MAX_COMMAND_OUTPUT_BYTES + 10) + " /dev/zero");

        CommandResult result = runner.run(List.of(s.toString()), null, TIMEOUT);

        assertTrue(result.truncated());
        assertEquals(Limits.MAX_COMMAND_OUTPUT_BYTES, result.output().length());
    }

    @Test
    void commandPrintingWithoutEndIsKilledAtTheLimitNotAtTheTimeout() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        Path s = script(dir, "endless.sh", "sleep 600 &\necho $! > '" + pidFile + "'\nwhile :; do echo aaaaaaaa; done");

        // An hour's timeout: only the limit can end this run.
        CommandResult result = runner.run(List.of(s.toString()), null, Duration.ofHours(1), 1000);

        assertTrue(result.truncated());
        assertEquals("aaaaaaaa\n".repeat(112).substring(0, 1000), result.output());
        long child = Long.parseLong(Files.readString(pidFile).strip());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(
                () -> ProcessHandle.of(child).map(h -> !h.isAlive()).orElse(true));
    }

    @Test
    void chattyStandardErrorNeverBlocksTheCommand() throws Exception {
        Path s = script(dir, "noisy.sh", "head -c 5000000 /dev/zero >&2; echo done");

        CommandResult result = runner.run(List.of(s.toString()), null, TIMEOUT);

        assertEquals(0, result.exitCode());
        assertEquals("done\n", result.output());
        assertEquals(4096, result.errors().length());
    }

    @Test
    void missingProgramCannotBeStarted() {
        assertThrows(IOException.class,
                () -> runner.run(List.of(dir.resolve("no-such-program").toString()), null, TIMEOUT));
    }

    @Test
    void emptyCommandIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> runner.run(List.of(), null, TIMEOUT));
        assertThrows(IllegalArgumentException.class, () -> runner.run(List.of(" "), null, TIMEOUT));
    }

    @Test
    void headKeepsTheStartAndSaysItWasCut() {
        assertEquals("abc", CommandResult.head("  abc \n", 5));
        assertEquals("abcde...", CommandResult.head("abcdefgh", 5));
        assertEquals("", CommandResult.head(null, 5));
    }
}
