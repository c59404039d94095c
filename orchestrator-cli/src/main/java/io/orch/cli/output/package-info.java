/**
 * What orch prints, and nothing else: the renderers turn a {@link io.orch.cli.run.RunReport} into a
 * table with a summary line or one JSON document, and while a run lasts, listeners print as things
 * happen: the progress line on a terminal and {@code --jsonl}.
 */
package io.orch.cli.output;
