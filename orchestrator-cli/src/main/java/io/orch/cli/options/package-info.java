/**
 * Options shared by several commands, as picocli mixins: where the broker is, which nodes a
 * filter selects, and how to print. Each validates its own input and names the bad flag.
 */
package io.orch.cli.options;
