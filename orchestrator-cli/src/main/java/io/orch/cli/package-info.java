/**
 * {@code orch}, the operator's command: the root command, its exit codes and the mapping of
 * failures to them. Subcommands live in {@link io.orch.cli.commands}, shared options in
 * {@link io.orch.cli.options}, the bus conversation in {@link io.orch.cli.client} and what is
 * printed in {@link io.orch.cli.output}.
 */
package io.orch.cli;
