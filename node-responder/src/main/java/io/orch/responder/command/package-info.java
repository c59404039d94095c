/**
 * Runs a command without a shell and with a timeout, for the detectors and facts that ask the
 * system (rpm, a sentinel command, external fact executables). Behind the small
 * {@link io.orch.responder.command.CommandRunner} interface, so tests hand in canned output.
 */
package io.orch.responder.command;
