package io.orch.cli.commands;

import io.orch.cli.UsageException;
import io.orch.protocol.envelope.Action;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = {"Stop the reboots of the given requests that are still in their delay.",
            "Every matched node is asked; those with that reboot under way answer cancelled, the others noop."})
public final class CancelCommand extends FleetCommand {
    @Parameters(arity = "1..*", paramLabel = "REQUEST_ID",
            description = "Reboot request ids, as printed by orch reboot (request_ids.reboot in --json: one per "
                    + "batch).")
    List<String> requestIds;

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
        for (String requestId : requestIds) {
            if (requestId.isBlank() || requestId.length() > 128 || requestId.startsWith("-")) {
                throw new UsageException("REQUEST_ID '" + requestId + "' is not a request id");
            }
        }
        // The single form is what every responder understands; the list form lets one call cancel a rolling run.
        return requestIds.size() == 1 ? Map.of("request_id", requestIds.get(0))
                : Map.of("request_ids", List.copyOf(requestIds));
    }
}
