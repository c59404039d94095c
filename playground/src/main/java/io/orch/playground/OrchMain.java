package io.orch.playground;

import io.orch.cli.commands.OrchCommand;
import io.orch.cli.config.ClientConfig;
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
        return commandLine(ClientConfig.fromEnvironment());
    }

    /** The playground's commands go in through OrchCommand, so that the configuration reaches them too. */
    public static CommandLine commandLine(ClientConfig config) {
        return OrchCommand.commandLine(config, new BrokerCommand(), new LabCommand(), new DemoCommand());
    }

    public static void main(String[] args) {
        System.exit(OrchCommand.execute(commandLine(), args));
    }
}
