package io.orch.playground;

import io.orch.cli.OrchCommand;
import io.orch.playground.commands.BrokerCommand;
import io.orch.playground.commands.DemoCommand;
import io.orch.playground.commands.LabCommand;
import picocli.CommandLine;

/** {@code ./orch}: the operator's commands plus the playground's broker, lab and demo. */
public final class OrchMain {
    static {
        // Each runnable names its own logging config, so jars that travel together never compete for logback.xml.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "orch-playground-logback.xml");
        }
    }

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
