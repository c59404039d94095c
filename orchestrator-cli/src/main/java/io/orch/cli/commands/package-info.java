/** One class per {@code orch} subcommand, named after it; the shared run lives in {@link io.orch.cli.commands.FleetCommand}. */
package io.orch.cli.commands;
