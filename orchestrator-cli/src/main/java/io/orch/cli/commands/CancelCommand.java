package io.orch.cli.commands;

import io.orch.cli.UsageException;
import io.orch.protocol.envelope.Action;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = {"Stop the reboots of request REQUEST_ID that are still in their delay.",
            "Every matched node is asked; those with that reboot under way answer cancelled, the others noop."})
public final class CancelCommand extends FleetCommand {
    @Parameters(index = "0", paramLabel = "REQUEST_ID",
            description = "The reboot request id, as printed by orch reboot --json (request_ids.reboot).")
    String requestId;

    @Override
    Action action() {
        return Action.CANCEL;
    }

    @Override
    boolean twoPhase() {
        return true;
    }

    @Override
    Map<String, Object> params() {
        if (requestId.isBlank() || requestId.length() > 128 || requestId.startsWith("-")) {
            throw new UsageException("REQUEST_ID '" + requestId + "' is not a request id");
        }
        return Map.of("request_id", requestId);
    }
}
