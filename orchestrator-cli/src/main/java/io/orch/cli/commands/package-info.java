/**
 * The commands: {@link io.orch.cli.commands.OrchCommand} (the root {@code orch}, its error handling and the
 * process's main) and one class per subcommand, named after it. A subcommand parses its options, starts the
 * run ({@link io.orch.cli.commands.FleetCommand} for those that act on the fleet), renders, and returns the
 * exit code.
 */
package io.orch.cli.commands;
