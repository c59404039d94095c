package io.orch.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rule: "Every bad flag or value names itself in the error and exits 2". Each case is
 * one flag of reboot, status, cancel, ping, discover, watch or config show with a bad value (or a
 * forbidden combination). The broker URL points at a closed port, so a command that got as far
 * as connecting would exit 3: exit 2 proves the mistake was caught before anything was sent.
 */
class CliFlagErrorsTest {
    /** Nothing listens on port 1 of the loopback: a connection attempt is refused at once (exit 3). */
    private static final String UNREACHABLE = "tcp://127.0.0.1:1";

    /** {@code orch <command> --broker UNREACHABLE <args>}. */
    private static String[] on(String command, String... args) {
        List<String> all = new ArrayList<>(List.of(command.split(" ")));
        all.add("--broker");
        all.add(UNREACHABLE);
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    /** A reboot with a filter, so that only the flag under test is wrong. */
    private static String[] reboot(String... args) {
        List<String> all = new ArrayList<>(List.of("-F", "a=1"));
        all.addAll(List.of(args));
        return on("reboot", all.toArray(String[]::new));
    }

    private static Arguments bad(String flag, String[] args) {
        return Arguments.of(Named.of(String.join(" ", args).replace("--broker " + UNREACHABLE + " ", ""), args),
                flag);
    }

    private static Path file(String content) {
        try {
            Path file = Files.createTempFile("orch-nodes", ".txt");
            file.toFile().deleteOnExit();
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Arguments> badFlags() {
        String badIdentities = file("lab-0001\n# a comment\nlab 0002\n").toString();
        return Stream.of(
                // reboot: batching and waiting
                bad("--batch", reboot("--wait", "--batch", "0")),
                bad("--batch", reboot("--wait", "--batch", "abc")),
                bad("--batch", reboot("--wait", "--batch", "150%")),
                bad("--batch", reboot("--wait", "--batch", "0%")),
                bad("--batch", reboot("--batch", "10")),
                bad("--batch-sleep", reboot("--batch", "10", "--batch-sleep", "x")),
                bad("--wait-timeout", reboot("--wait", "--wait-timeout", "0")),
                bad("--wait-timeout", reboot("--wait", "--wait-timeout", "25h")),
                bad("--wait-timeout", reboot("--wait", "--wait-timeout", "30s", "--delay", "1m")),
                bad("--require-clear", reboot("--require-clear")),
                bad("--max-failures", reboot("--wait", "--batch", "1", "--max-failures", "0")),
                bad("--max-failures", reboot("--wait", "--batch", "1", "--max-failures", "-1")),
                bad("--max-failures", reboot("--wait", "--batch", "1", "--max-failures", "101%")),
                // reboot: what the nodes are told
                bad("--delay", reboot("--delay", "2d")),
                bad("--delay", reboot("--delay", "1500ms")),
                bad("--delay", reboot("--delay", "25h")),
                bad("--message", reboot("--message", "")),
                bad("--message", reboot("--message", "x".repeat(401))),
                bad("--force", reboot("--force")),
                bad("--force", reboot("--force", "--yes", "--noop")),
                bad("--onlyif", reboot("--onlyif", "kernel_update", "--unless", "pending_file_rename")),
                bad("--onlyif", reboot("--onlyif", "Bad Reason")),
                bad("--unless", reboot("--unless", "Bad Reason")),
                bad("-F", on("reboot")),
                // filters
                bad("-F", reboot("-F", "os.family=~/[/")),
                bad("-I", on("status", "-I", "/web(/")),
                bad("-S", on("discover", "-S", "a=1 and (b=2")),
                // targeting
                bad("--limit", reboot("--limit", "0")),
                bad("--limit", on("status", "--limit", "101%")),
                bad("--limit", reboot("--one", "--limit", "2")),
                bad("--limit", on("ping", "--limit", "2")),
                bad("--one", on("discover", "--one")),
                bad("--nodes", on("status", "--nodes", "/nonexistent/nodes.txt")),
                bad("--exclude-nodes", reboot("--exclude-nodes", "/nonexistent/exclude.txt")),
                bad("--nodes", on("ping", "--nodes", badIdentities)),
                bad("line 3", on("ping", "--nodes", badIdentities)),
                bad("--exclude-nodes", on("status", "--exclude-nodes", badIdentities)),
                bad("--nodes", on("status", "--nodes", file("# nobody\n\n").toString())),
                // status
                bad("--show-fact", on("status", "--show-fact", "")),
                // output
                bad("--jsonl", on("status", "--json", "--jsonl")),
                bad("--jsonl", reboot("--json", "--jsonl")),
                // timeouts
                bad("--timeout", reboot("--timeout", "0")),
                bad("--timeout", reboot("--timeout", "2h")),
                bad("--timeout", on("cancel", "--timeout", "soon", "some-id")),
                bad("--discovery-timeout", on("ping", "--discovery-timeout", "abc")),
                bad("--discovery-timeout", on("discover", "--discovery-timeout", "0")),
                bad("--connect-timeout", on("ping", "--connect-timeout", "0")),
                bad("--connect-timeout", on("status", "--connect-timeout", "1.5s")),
                // broker
                bad("--collective", on("ping", "--collective", "bad name")),
                bad("--collective", on("reboot", "-F", "a=1", "--collective", "a.b>")),
                bad("--broker", new String[] {"ping", "--broker", "foo://x"}),
                bad("--broker", new String[] {"status", "--broker", ""}),
                bad("--broker", new String[] {"ping", "--broker", "tcp://"}),
                bad("--broker", new String[] {"ping", "--broker", "tcp://127.0.0.1:1?bogusOption=1"}),
                bad("--broker", new String[] {"ping", "--broker", "failover:(tcp://127.0.0.1:1"}),
                bad("--broker", new String[] {"ping", "--broker", "tcp://127.0.0.1:99999"}),
                // cancel
                bad("REQUEST_ID", on("cancel")),
                bad("-x", on("cancel", "-x")),
                bad("REQUEST_ID", on("cancel", "--", "-x")),
                // watch
                bad("--type", on("watch", "--type", "bogus")),
                bad("--type", on("watch", "--type", "rebooted,bogus")),
                bad("--count", on("watch", "--count", "0")),
                bad("--count", on("watch", "--count", "-1")),
                bad("--count", on("watch", "--count", "abc")),
                bad("--for", on("watch", "--for", "0")),
                bad("--for", on("watch", "--for", "abc")),
                bad("--request", on("watch", "--request", " ")),
                bad("-I", on("watch", "-I", "/[/")),
                bad("--connect-timeout", on("watch", "--connect-timeout", "0")),
                bad("--collective", on("watch", "--collective", "bad name")),
                bad("--broker", new String[] {"watch", "--broker", "foo://x"}),
                // config show
                bad("--json", new String[] {"config", "show", "--json=maybe"}),
                bad("--bogus", new String[] {"config", "show", "--bogus"}),
                // anything
                bad("--bogus", reboot("--bogus")),
                bad("--bogus", on("watch", "--bogus")),
                bad("--batch", reboot("--wait", "--batch")),
                bad("--delay", reboot("--delay")),
                bad("--count", on("watch", "--count")),
                bad("--nodes", on("ping", "--nodes")),
                bad("bogus", new String[] {"bogus"}));
    }

    /** The premise of every case: with nothing wrong, the same command line gets as far as the broker. */
    @Test
    void theSameCommandWithGoodFlagsReachesForTheBrokerAndExitsThree() {
        Cli.Result result = Cli.run(reboot("--wait", "--batch", "10%", "--wait-timeout", "5m", "--max-failures", "1"));

        assertEquals(3, result.exitCode(), result::toString);
        assertTrue(result.err().contains("cannot connect to broker " + UNREACHABLE), result::toString);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badFlags")
    void badFlagExitsTwoNamingItselfBeforeConnecting(String[] args, String flag) {
        Cli.Result result = Cli.run(args);
        String run = "orch " + String.join(" ", args) + "\n" + result;

        assertEquals(2, result.exitCode(), () -> "expected a usage error (2); 3 means it tried the broker: " + run);
        assertTrue(result.err().contains(flag), () -> "the error does not name " + flag + ": " + run);
        assertFalse(result.err().contains("at io.") || result.err().contains("\tat "),
                () -> "stack trace on stderr: " + run);
        assertFalse(result.err().contains("Exception"), () -> "an exception class leaks into the message: " + run);
        assertTrue(result.out().isEmpty(), () -> "a usage error printed to stdout: " + run);
        assertFalse(result.err().contains("cannot connect"), () -> "it tried the broker: " + run);
    }
}
