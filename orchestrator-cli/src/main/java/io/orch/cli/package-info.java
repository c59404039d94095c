/**
 * {@code orch}, the operator's command: what every part of it shares — the exit codes, usage
 * errors, what Ctrl-C means, how times are written. The root command and its subcommands live in
 * {@link io.orch.cli.commands},
 * shared options in {@link io.orch.cli.options}, client configuration in
 * {@link io.orch.cli.config}, a run from discovery to its report in {@link io.orch.cli.run}, the
 * bus over JMS in {@link io.orch.cli.client}, node lists and last-seen times in
 * {@link io.orch.cli.inventory}, what is printed in {@link io.orch.cli.output}, and the CA of
 * {@code orch pki} in {@link io.orch.cli.pki}.
 */
package io.orch.cli;
