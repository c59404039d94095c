/** The playground's subcommands: {@code orch broker}, {@code orch lab} and {@code orch demo}. */
package io.orch.playground.commands;
