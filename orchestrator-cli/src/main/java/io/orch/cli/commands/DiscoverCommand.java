package io.orch.cli.commands;

import io.orch.protocol.envelope.Action;
import picocli.CommandLine.Command;

@Command(name = "discover", mixinStandardHelpOptions = true,
        description = "List the nodes that match the filter.")
public final class DiscoverCommand extends FleetCommand {
    @Override
    Action action() {
        return Action.DISCOVER;
    }

    @Override
    boolean twoPhase() {
        return false;
    }
}
