/**
 * What the packages ship beside the jars, made at build time from the CLI's own picocli model so that it can
 * never disagree with {@code orch --help}: the bash completion script (which zsh loads through bashcompinit) and
 * one man page per command ({@code orch(1)}, {@code orch-reboot(1)}, ...).
 */
package io.orch.packaging;
