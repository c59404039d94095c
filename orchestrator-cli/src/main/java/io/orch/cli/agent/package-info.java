/**
 * The resident client ({@code orch agent}): an opt-in, per-user JVM that stays warm and runs the CLI's
 * read-only commands ({@code status}, {@code ping}, {@code discover}, {@code inventory}, {@code reboot --noop})
 * for the {@code orch} processes of the same user, over a Unix socket in a folder only that user can enter.
 * It keeps nothing between commands but compiled code: each command reads the configuration, the key and
 * the CRL again, exactly as a CLI of its own would, and prints the same output with the same exit code.
 * Whatever it does not serve, or cannot, the CLI runs itself.
 */
package io.orch.cli.agent;
