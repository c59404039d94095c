package io.orch.responder.pending;

import io.orch.protocol.payload.Reason;
import static io.orch.responder.Scripts.script;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.orch.responder.Scripts;
import io.orch.responder.command.CommandResult;
import io.orch.responder.command.CommandTimeoutException;
import io.orch.responder.command.ProcessCommandRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A site's own check: exit 0 pending, exit 1 not pending, anything else cannot decide. Harmless scripts only. */
class SentinelCommandTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private SentinelCommand sentinel(String body, String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of(script(dir, "check.sh", body).toString()));
        argv.addAll(List.of(args));
        return new SentinelCommand(argv, TIMEOUT, new ProcessCommandRunner());
    }

    static Stream<Arguments> answers() {
        String longLine = "x".repeat(250);
        return Stream.of(
                arguments("exit 0 with a message", "echo 'needs reboot: libssl'; exit 0", "needs reboot: libssl"),
                arguments("exit 0 and silent", "exit 0", ""),
                arguments("exit 0, output cut at 200 characters", "echo " + longLine, "x".repeat(200)),
                arguments("exit 0, several lines kept as printed", "printf 'a\\nb\\n'", "a\nb"),
                arguments("exit 0, stderr is not evidence", "echo oops >&2", ""),
                arguments("exit 1 with a message", "echo 'all good'; exit 1", null),
                arguments("exit 1 and silent", "exit 1", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void exitZeroIsPendingWithEvidenceAndExitOneIsNot(String what, String body, String output) throws Exception {
        SentinelCommand sentinel = sentinel(body, "--quiet");

        Optional<Reason> found = sentinel.detect();

        if (output == null) {
            assertEquals(Optional.empty(), found);
        } else {
            Reason reason = found.orElseThrow();
            assertEquals("sentinel_command", reason.name());
            assertEquals(Map.of("command", List.of(dir.resolve("check.sh").toString(), "--quiet"), "output", output),
                    reason.evidence());
            String start = "sentinel command [" + dir.resolve("check.sh") + ", --quiet] exited 0";
            assertTrue(reason.detail().startsWith(start), reason.detail());
        }
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                arguments("exit 2", "echo 'cannot tell'; exit 2",
                        " exited 2 (0 = pending, 1 = not pending): cannot tell"),
                arguments("exit 127, complaint on stderr", "echo 'no such thing' >&2; exit 127",
                        " exited 127 (0 = pending, 1 = not pending): no such thing"),
                arguments("exit 255, silent", "exit 255", " exited 255 (0 = pending, 1 = not pending)"),
                arguments("killed by a signal", "kill -9 $$", " exited 137 (0 = pending, 1 = not pending)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void anyOtherExitIsAnErrorNotAnAnswer(String what, String body, String suffix) {
        IOException e = assertThrows(IOException.class, () -> sentinel(body).detect());
        assertEquals("sentinel command [" + dir.resolve("check.sh") + "]" + suffix, e.getMessage());
    }

    @Test
    void commandThatOutlivesItsTimeoutIsAnError() {
        SentinelCommand sentinel = new SentinelCommand(List.of(script(dir, "slow.sh", "sleep 30").toString()),
                Duration.ofSeconds(1), new ProcessCommandRunner());

        assertThrows(CommandTimeoutException.class, sentinel::detect);
    }

    @Test
    void commandAnyoneButRootCouldChangeIsNotRunAndIsAnError() throws Exception {
        Path ran = dir.resolve("ran");
        Path check = script(dir, "check.sh", "touch '" + ran + "'; exit 0");
        io.orch.responder.Scripts.change(check, "chown 4242");
        SentinelCommand sentinel = new SentinelCommand(List.of(check.toString()), TIMEOUT, new ProcessCommandRunner());

        java.io.IOException e = assertThrows(java.io.IOException.class, sentinel::detect);

        assertTrue(e.getMessage().startsWith("sentinel command not run: " + check.toRealPath()
                + " is owned by uid 4242, not root"), e.getMessage());
        assertTrue(java.nio.file.Files.notExists(ran), "never run");
    }

    @Test
    void scriptGivenToAnInterpreterIsCheckedLikeTheCommand() throws Exception {
        Path ran = dir.resolve("ran");
        Path script = script(dir, "user.sh", "touch '" + ran + "'; exit 0");
        io.orch.responder.Scripts.change(script, "chown 4242");
        SentinelCommand sentinel = new SentinelCommand(List.of("/bin/sh", script.toString()), TIMEOUT,
                new ProcessCommandRunner());

        IOException e = assertThrows(IOException.class, sentinel::detect);

        assertEquals("sentinel command [/bin/sh, " + script + "]: its argument " + script + " is a file the command "
                + "reads or runs as root; not run: " + script.toRealPath() + " is owned by uid 4242, not root, and the "
                + "responder runs it as root; fix: chown root " + script.toRealPath() + " && chmod go-w "
                + script.toRealPath(), e.getMessage());
        assertTrue(java.nio.file.Files.notExists(ran), "never run");

        io.orch.responder.Scripts.change(script, "chown 0");
        assertEquals("sentinel_command", sentinel.detect().orElseThrow().name(), "root's script runs");
        assertTrue(java.nio.file.Files.exists(ran));
    }

    @Test
    void argumentsThatAreNotFilesArePassedAsGiven() throws Exception {
        Scripts.FakeRunner runner = Scripts.FakeRunner.always(CommandResult.of(1, ""));
        Path check = script(dir, "check.sh", "exit 1");
        new SentinelCommand(List.of(check.toString(), "--quiet", dir.resolve("missing").toString(), dir.toString()),
                TIMEOUT, runner).detect();

        assertEquals(List.of(List.of(check.toRealPath().toString(), "--quiet", dir.resolve("missing").toString(),
                dir.toString())), runner.calls);
    }

    static Stream<Arguments> untrustedFoldersAbove() {
        return Stream.of(
                arguments("writable by others", "chmod o+w", "is writable by group or others (mode 0757)"),
                arguments("writable by its group", "chmod g+w", "is writable by group or others (mode 0775)"),
                arguments("owned by another user", "chown 4242", "is owned by uid 4242, not root"));
    }

    @ParameterizedTest(name = "a folder above the command {0}")
    @MethodSource("untrustedFoldersAbove")
    void everyFolderAboveTheCommandIsChecked(String what, String change, String says) throws Exception {
        Path above = java.nio.file.Files.createDirectories(dir.resolve("opt"));
        java.nio.file.Files.setPosixFilePermissions(above,
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path ran = dir.resolve("ran");
        Path check = script(above.resolve("sbin"), "check.sh", "touch '" + ran + "'; exit 0");
        io.orch.responder.Scripts.change(above, change);
        SentinelCommand sentinel = new SentinelCommand(List.of(check.toString()), TIMEOUT, new ProcessCommandRunner());

        IOException e = assertThrows(IOException.class, sentinel::detect);

        assertTrue(e.getMessage().startsWith("sentinel command not run: a folder above " + check.toRealPath() + ", "
                + above.toRealPath() + " " + says), e.getMessage());
        assertTrue(java.nio.file.Files.notExists(ran), "never run");
    }

    @Test
    void aFolderAboveWithTheStickyBitIsFineAsTmpIs() throws Exception {
        Path above = java.nio.file.Files.createDirectories(dir.resolve("shared"));
        io.orch.responder.Scripts.change(above, "chmod 1777");
        Path check = script(above.resolve("root-only"), "check.sh", "exit 0");

        assertEquals("sentinel_command",
                new SentinelCommand(List.of(check.toString()), TIMEOUT, new ProcessCommandRunner()).detect()
                        .orElseThrow().name());
    }

    @Test
    void aSymlinkOfRootsRunsByItsNameSoAMultiCallProgramSeesIt() throws Exception {
        Path check = script(dir.resolve("real"), "check.sh", "exit 1");
        Path link = java.nio.file.Files.createSymbolicLink(dir.resolve("link.sh"), check);
        Path script = script(dir, "arg.sh", "exit 1");
        Path argLink = java.nio.file.Files.createSymbolicLink(dir.resolve("arg-link.sh"), script);
        Scripts.FakeRunner runner = Scripts.FakeRunner.always(CommandResult.of(1, ""));

        new SentinelCommand(List.of(link.toString(), argLink.toString()), TIMEOUT, runner).detect();

        // busybox behind /bin/sh picks its applet by the name it was started by.
        assertEquals(List.of(List.of(link.toString(), argLink.toString())), runner.calls);
    }

    @Test
    void aSymlinkSomeoneElseOwnsIsNotRunThoughItsTargetIsRoots() throws Exception {
        Path check = script(dir.resolve("real"), "check.sh", "exit 1");
        Path link = java.nio.file.Files.createSymbolicLink(dir.resolve("link.sh"), check);
        assertEquals(0, new ProcessBuilder("chown", "-h", "4242", link.toString()).inheritIO().start().waitFor());
        Scripts.FakeRunner runner = Scripts.FakeRunner.always(CommandResult.of(1, ""));

        IOException e = assertThrows(IOException.class,
                () -> new SentinelCommand(List.of(link.toString()), TIMEOUT, runner).detect());

        assertTrue(e.getMessage().contains("the symlink " + link + " is owned by uid 4242, not root"), e.getMessage());
        assertEquals(List.of(), runner.calls, "never run");
    }

    @Test
    void commandThatCannotStartIsAnError() {
        SentinelCommand sentinel = new SentinelCommand(List.of(dir.resolve("missing").toString()), TIMEOUT,
                new ProcessCommandRunner());

        assertThrows(IOException.class, sentinel::detect);
    }

    @Test
    void emptyCommandOrTimeoutIsRefusedAtStart() {
        ProcessCommandRunner runner = new ProcessCommandRunner();
        assertThrows(IllegalArgumentException.class, () -> new SentinelCommand(List.of(), TIMEOUT, runner));
        assertThrows(IllegalArgumentException.class, () -> new SentinelCommand(List.of(""), TIMEOUT, runner));
        assertThrows(IllegalArgumentException.class, () -> new SentinelCommand(null, TIMEOUT, runner));
        assertThrows(IllegalArgumentException.class,
                () -> new SentinelCommand(List.of("/bin/true"), Duration.ZERO, runner));
    }
}
