package io.orch.playground;

import io.orch.cli.OrchCommand;
import io.orch.playground.commands.BrokerCommand;
import io.orch.playground.commands.DemoCommand;
import io.orch.playground.commands.LabCommand;
import picocli.CommandLine;

/** {@code ./orch}: the operator's commands plus the playground's broker, lab and demo. */
public final class OrchMain {
    private OrchMain() {
    }

    public static CommandLine commandLine() {
        CommandLine cli = OrchCommand.commandLine();
        cli.addSubcommand(new BrokerCommand());
        cli.addSubcommand(new LabCommand());
        cli.addSubcommand(new DemoCommand());
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
