package io.orch.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.cli.config.ClientConfig;
import io.orch.cli.run.FleetRun;
import io.orch.protocol.Limits;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code --timeout} becomes the request's ttl_s, and nodes refuse a reboot or cancel that lives
 * longer than {@link Limits#MAX_REBOOT_TTL_SECONDS}: the CLI refuses it first (exit 2, nothing sent).
 */
class ActionTtlTest {
    /** Exit code and stderr; each run is refused before it would connect anywhere. */
    private record Run(int exitCode, String stderr) {
    }

    private static Run run(ClientConfig config, String... args) {
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = OrchCommand.commandLine(config);
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        int code = cli.execute(args);
        return new Run(code, err.toString());
    }

    @Test
    void rebootWithATimeoutLongerThanNodesAcceptIsAUsageError() {
        Run run = run(ClientConfig.defaultsOnly(), "reboot", "--all", "--timeout", "301s");

        assertEquals(2, run.exitCode(), run.stderr());
        assertTrue(run.stderr().startsWith("orch: --timeout must be at most 5m for reboot, got 301s: it becomes the "
                + "request's ttl_s, and nodes refuse a longer-lived reboot"), run.stderr());
    }

    @Test
    void timeoutRoundedUpPastTheLimitIsRefusedToo() {
        Run run = run(ClientConfig.defaultsOnly(), "cancel", "some-request", "--timeout", "300500ms");

        assertEquals(2, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains("--timeout must be at most 5m for cancel, got 301s"), run.stderr());
    }

    @Test
    void timeoutFromTheConfigurationSaysWhereItCameFrom() {
        ClientConfig config = ClientConfig.load(Map.of("ORCH_TIMEOUT", "10m"), null, null);

        Run run = run(config, "reboot", "--all");

        assertEquals(2, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains("got 600s (from the configuration, see orch config show)"), run.stderr());
    }

    @Test
    void theLimitIsTheLongestTtlTheCliCanSend() {
        assertEquals(Limits.MAX_REBOOT_TTL_SECONDS,
                FleetRun.ttl(Duration.ofSeconds(Limits.MAX_REBOOT_TTL_SECONDS)).toSeconds());
        assertEquals(Limits.MAX_REBOOT_TTL_SECONDS + 1,
                FleetRun.ttl(Duration.ofMillis(Limits.MAX_REBOOT_TTL_SECONDS * 1000L + 1)).toSeconds());
    }
}
