package io.orch.cli.commands;

import io.orch.protocol.envelope.Action;
import io.orch.protocol.payload.StatusParams;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show whether a reboot is pending on the matched nodes, why, and the facts asked for.")
public final class StatusCommand extends FleetCommand {
    @Option(names = "--show-fact", paramLabel = "PATH",
            description = "Also report this fact (repeatable), e.g. kernel.release.")
    List<String> facts = new ArrayList<>();

    @Override
    Action action() {
        return Action.STATUS;
    }

    @Override
    boolean twoPhase() {
        return true;
    }

    @Override
    StatusParams params() {
        for (String fact : facts) {
            if (!fact.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*")) {
                throw new io.orch.cli.UsageException("--show-fact '" + fact + "' is not a fact path (like "
                        + "kernel.release)");
            }
        }
        return facts.isEmpty() ? StatusParams.NONE : new StatusParams(facts);
    }
}
