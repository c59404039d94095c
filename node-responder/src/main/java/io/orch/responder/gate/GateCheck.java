package io.orch.responder.gate;

import java.util.Optional;

/** One rule a request must pass before any action sees it; it logs why when it refuses. */
@FunctionalInterface
interface GateCheck {
    Optional<Refusal> check(Candidate candidate);
}
