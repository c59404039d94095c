package io.orch.responder.action;

import io.orch.responder.request.Outcome;

/** One action a node answers: it decodes and checks its own params, decides, and says what to reply. */
@FunctionalInterface
public interface ActionHandler {
    /** Called only for requests the gate admitted, matched or not. */
    Outcome handle(ActionRequest request);
}
