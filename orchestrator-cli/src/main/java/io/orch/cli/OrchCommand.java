package io.orch.cli;

import io.orch.cli.client.BrokerUnreachableException;
import io.orch.cli.commands.CancelCommand;
import io.orch.cli.commands.DiscoverCommand;
import io.orch.cli.commands.PingCommand;
import io.orch.cli.commands.RebootCommand;
import io.orch.cli.commands.StatusCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root {@code orch} command. */
@Command(name = "orch", mixinStandardHelpOptions = true, version = "orch 0.1.0",
        description = "Out-of-band reboot orchestration over ActiveMQ.",
        subcommands = {RebootCommand.class, CancelCommand.class, StatusCommand.class, PingCommand.class,
            DiscoverCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:all nodes answered and none failed (also when nothing matched)",
            "1:some node failed, was denied or rejected the request",
            "2:usage or configuration error (bad flag, bad filter); nothing was sent",
            "3:the broker could not be reached",
            "4:some node did not answer in time, or no node answered at all",
            "70:internal error (a bug)"})
public final class OrchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    /** The command line with orch's error handling; callers may add subcommands before executing. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new OrchCommand());
        cli.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("orch: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            err.flush();
            return ExitCode.USAGE;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            int code;
            if (ex instanceof UsageException usage) {
                err.println("orch: " + usage.getMessage());
                if (usage.detail() != null) {
                    err.println(usage.detail());
                }
                code = ExitCode.USAGE;
            } else if (ex instanceof BrokerUnreachableException) {
                err.println("orch: " + ex.getMessage());
                err.println("Is the broker running? Check --broker / ORCH_BROKER (for a local playground: orch broker).");
                code = ExitCode.BROKER_UNREACHABLE;
            } else if (ex instanceof jakarta.jms.JMSException) {
                err.println("orch: lost the broker: " + ex.getMessage()
                        + "; some nodes may have received the request (check with orch status)");
                code = ExitCode.BROKER_UNREACHABLE;
            } else if (ex instanceof InterruptedException) {
                err.println("orch: interrupted");
                code = 130;
            } else {
                err.println("orch: internal error (a bug, please report it): " + ex);
                code = ExitCode.INTERNAL;
            }
            err.flush();
            return code;
        });
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
