/**
 * The request gate: every rule a request must pass before an action sees it (its collective,
 * lifetime, freshness with clock skew, no replay (ids kept on disk until they expire), each caller's
 * rate limit for costly actions, a filter within its budget that compiles, reboot and cancel only
 * on the node's own destination) and the reply-to rules once the action has decided. It is the
 * one place a later signature, certificate or policy check belongs; the checks are
 * package-private, each in its own file, run in order by {@link io.orch.responder.gate.RequestGate}.
 */
package io.orch.responder.gate;
