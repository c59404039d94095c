package io.orch.responder.main;

import static io.orch.responder.Fixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The daemon's command line. Only configs it must refuse are run here: a valid one would
 * connect and serve until stopped.
 */
class ResponderMainTest {
    static {
        // ResponderMain names its own logging config unless one is set; the tests keep theirs.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-test.xml");
        }
    }

    @TempDir
    Path dir;

    /** Exit code and stderr of one run. */
    private record Run(int exitCode, String stderr) {
    }

    private Run run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        // A config that slipped through would connect and wait forever: fail instead.
        return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            try {
                int code = new CommandLine(new ResponderMain()).execute(args);
                return new Run(code, err.toString(StandardCharsets.UTF_8));
            } finally {
                System.setErr(original);
            }
        });
    }

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                arguments("negative clock skew", "requests:\n  clock_skew_s: -1\n", List.of(),
                        "requests.clock_skew_s must be between 0 and 300, got -1"),
                arguments("clock skew over five minutes", "requests:\n  clock_skew_s: 301\n", List.of(),
                        "requests.clock_skew_s must be between 0 and 300, got 301"),
                arguments("announcing every five seconds", "registry:\n  interval_s: 5\n", List.of(),
                        "registry.interval_s must be between 60 and 86400 (a minute to a day), got 5; 600 (ten "
                                + "minutes) is the default"),
                arguments("announcing every two days", "registry:\n  interval_s: 172800\n", List.of(),
                        "registry.interval_s must be between 60 and 86400"),
                arguments("zero command timeout", "reboot:\n  command_timeout_s: 0\n", List.of(),
                        "reboot.command_timeout_s must be more than 0, got 0"),
                arguments("unknown executor", "reboot:\n  executor: yes\n", List.of(),
                        "unknown reboot executor 'yes'"),
                arguments("collective with a wildcard", "collective: 'prod.*'\n", List.of(),
                        "invalid collective 'prod.*'"),
                arguments("broker URL the client cannot parse", "broker: tcp://mq 1:61616\n", List.of(),
                        "invalid broker URL 'tcp://mq 1:61616' (broker in the config)"),
                arguments("broker URL on the command line", "", List.of("--broker", "tcp://mq 2:61616"),
                        "invalid broker URL 'tcp://mq 2:61616' (--broker)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void badConfigIsOneLineOnStderrAndExitTwoBeforeAnyConnection(String what, String yaml, List<String> extra,
                                                                 String says) {
        write(dir, "root/etc/hostname", "web01\n");
        Path config = write(dir, "responder.yaml", "facts:\n  root: " + dir.resolve("root") + "\n" + yaml);
        List<String> args = new ArrayList<>(List.of("--config", config.toString()));
        args.addAll(extra);

        Run run = run(args.toArray(String[]::new));

        assertEquals(2, run.exitCode(), run.stderr());
        assertTrue(run.stderr().startsWith("orch-responder: "), run.stderr());
        assertTrue(run.stderr().contains(says), run.stderr());
        assertEquals(1, run.stderr().lines().count(), "one line, no stack trace: " + run.stderr());
    }

    @Test
    void missingFactsRootIsExitTwo() {
        Path config = write(dir, "responder.yaml", "identity: web01\nfacts:\n  root: " + dir.resolve("absent") + "\n");

        Run run = run("--config", config.toString());

        assertEquals(2, run.exitCode(), run.stderr());
        assertEquals("orch-responder: facts.root " + dir.resolve("absent") + " does not exist or is not a folder",
                run.stderr().strip());
    }

    @Test
    void plainBrokerUrlIsWrappedInFailoverWithACappedBackOffAndABoundedSend() {
        String limits = "wireFormat.maxFrameSize=1048576&wireFormat.maxInactivityDuration=30000";
        assertEquals("failover:(tcp://mq1:61616?" + limits + ")?initialReconnectDelay=100&maxReconnectDelay=2000"
                        + "&useExponentialBackOff=true&timeout=10000",
                ResponderMain.reconnecting("tcp://mq1:61616"));
        assertEquals("failover:(tcp://a:61616?" + limits + ",tcp://b:61616?" + limits + ")?randomize=false"
                        + "&maxReconnectDelay=30000&initialReconnectDelay=100&useExponentialBackOff=true&timeout=10000",
                ResponderMain.reconnecting("failover:(tcp://a:61616,tcp://b:61616)?randomize=false&maxReconnectDelay=30000"),
                "the operator's failover options stay; orch's fill in the rest");
    }

    @Test
    void helpSaysAnUnreachableBrokerIsWaitedForNotAnExit() {
        String help = new CommandLine(new ResponderMain()).getUsageMessage(CommandLine.Help.Ansi.OFF);

        assertTrue(help.contains("An unreachable broker is not an exit"), help);
        assertFalse(help.contains("cannot reach the broker"), help);
    }

    @Test
    void stateFolderWritableByOthersStopsTheResponderWithAClearErrorAndExitTwo() throws Exception {
        write(dir, "root/etc/hostname", "web01\n");
        Path state = java.nio.file.Files.createDirectory(dir.resolve("state"));
        java.nio.file.Files.setPosixFilePermissions(state,
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Path config = write(dir, "responder.yaml", "facts:\n  root: " + dir.resolve("root") + "\n"
                + "reboot:\n  state_dir: " + state + "\nsecurity: insecure\n");

        Run run = run("--config", config.toString());

        assertEquals(2, run.exitCode(), run.stderr());
        assertEquals("orch-responder: state folder " + state + " is writable by group or others (mode 0777): anyone "
                + "could plant or replace the journal the node trusts after boot; fix: chmod 0700 " + state,
                run.stderr().strip());
        assertFalse(java.nio.file.Files.exists(state.resolve("seen-requests")), "nothing written in it");
    }
}
