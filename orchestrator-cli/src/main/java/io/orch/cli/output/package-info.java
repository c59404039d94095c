/**
 * What orch prints: a {@link io.orch.cli.output.RunReport} holds the exact outcome of a run
 * (every node's answer, who did not match, who never answered) and the exit code it implies;
 * the renderers turn it into a table with a summary line, or one JSON document.
 */
package io.orch.cli.output;
