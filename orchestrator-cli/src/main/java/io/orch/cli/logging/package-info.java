/** The CLI's logging set up in code: warnings and errors on stderr, nothing on stdout, no XML read at start. */
package io.orch.cli.logging;
