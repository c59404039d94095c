/**
 * What orch prints: a {@link io.orch.cli.output.RunReport} holds the exact outcome of a run
 * (every node's answer and return, each batch, who did not match, who never answered, why the
 * run stopped) and the exit code it implies; the renderers turn it into a table with a summary
 * line or one JSON document. While a run lasts, {@link io.orch.cli.output.RunListener}s print
 * as things happen: the progress line on a terminal and {@code --jsonl}.
 */
package io.orch.cli.output;
