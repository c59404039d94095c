/**
 * Client configuration: the values {@code orch} uses for options the user did not type. Flags win
 * over {@code ORCH_*} environment variables, which win over the user's file
 * ({@code ~/.config/orch/client.yaml}, or {@code ORCH_CONFIG}), which wins over the system file
 * ({@code /etc/orch/client.yaml}), which wins over the built-in defaults. {@link
 * io.orch.cli.config.ClientConfig} reads and checks all of it once, naming the file and key of
 * anything wrong; {@link io.orch.cli.config.ConfigDefaults} hands the values to picocli.
 */
package io.orch.cli.config;
