package io.orch.cli.commands;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"The client configuration: the values orch uses for options you do not type.",
            "First match wins: a flag, an ORCH_* environment variable, the user's file, /etc/orch/client.yaml, "
                    + "the default.",
            "The user's file is ~/.config/orch/client.yaml, or the one ORCH_CONFIG names."},
        subcommands = ConfigShowCommand.class)
public final class ConfigCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (orch config show)");
    }
}
