package io.orch.cli.commands;

import io.orch.protocol.envelope.Action;
import picocli.CommandLine.Command;

@Command(name = "ping", mixinStandardHelpOptions = true,
        description = "Ask the matched nodes to answer; shows who is on the bus and how fast they answer.")
public final class PingCommand extends FleetCommand {
    @Override
    Action action() {
        return Action.PING;
    }

    @Override
    boolean twoPhase() {
        return false;
    }
}
