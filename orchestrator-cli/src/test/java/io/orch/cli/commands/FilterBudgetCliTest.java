package io.orch.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.cli.ExitCode;
import io.orch.cli.config.ClientConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CLI refuses a filter over the per-request budget itself, with the message a node would give,
 * as a usage error (exit 2) and before it connects anywhere: the broker given here is a port nobody
 * listens on, so a run that tried to publish would end "broker unreachable" (exit 3) instead.
 */
class FilterBudgetCliTest {
    private record Run(int exitCode, String stderr) {
    }

    private static Run run(String... args) {
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = OrchCommand.commandLine(ClientConfig.defaultsOnly());
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        return new Run(cli.execute(args), err.toString());
    }

    private static String closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "tcp://127.0.0.1:" + socket.getLocalPort();
        }
    }

    @Test
    void discoverWithAHundredCostlyRegexesIsAUsageErrorNamingTheLimit() throws IOException {
        List<String> args = new ArrayList<>(List.of("discover", "--security", "insecure", "--broker", closedPort()));
        for (int i = 0; i < 100; i++) {
            args.add("-F");
            args.add("x=~/(a{99}){99}/");
        }

        Run run = run(args.toArray(String[]::new));

        assertEquals(ExitCode.USAGE, run.exitCode(), run.stderr());
        assertTrue(run.stderr().startsWith("orch: filter too large: filter has 100 regexes, limit 16; "), run.stderr());
    }

    @Test
    void aFilterWithinTheBudgetGetsAsFarAsTheBroker() throws IOException {
        Run run = run("discover", "--security", "insecure", "--broker", closedPort(), "-F", "x=~/(a{99}){99}/", "-I", "web01");

        assertEquals(ExitCode.BROKER_UNREACHABLE, run.exitCode(), run.stderr());
    }
}
