package io.orch.cli.commands;

import io.orch.cli.UsageException;
import io.orch.protocol.Limits;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.payload.CancelParams;
import java.util.List;
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
    CancelParams params() {
        for (String requestId : requestIds) {
            if (!io.orch.protocol.envelope.Codec.validId(requestId)) {
                throw new UsageException("REQUEST_ID '" + requestId + "' is not a request id (letters, digits, "
                        + "'.', '_', ':', '-'; copy it from request_ids.reboot in orch reboot --json)");
            }
        }
        if (requestIds.size() > Limits.MAX_CANCEL_REQUEST_IDS) {
            throw new UsageException("at most " + Limits.MAX_CANCEL_REQUEST_IDS + " REQUEST_IDs at once, got " + requestIds.size());
        }
        // Both forms: a responder that only knows request_id then cancels only that one, never "any".
        return new CancelParams(requestIds.get(0), requestIds.size() == 1 ? null : requestIds);
    }
}
