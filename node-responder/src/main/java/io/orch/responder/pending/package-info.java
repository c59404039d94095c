/**
 * Pending-reboot detection: each {@link io.orch.responder.pending.PendingDetector} looks for
 * one reason a reboot is needed and says what it saw. Detectors read below an injected root
 * folder, so tests and the lab point them at fixture trees instead of this machine's /; those that
 * ask a command (rpm, a sentinel) do it through a {@link io.orch.responder.command.CommandRunner}.
 */
package io.orch.responder.pending;
