package io.orch.cli.options;

import io.orch.cli.UsageException;
import picocli.CommandLine.Option;

/** How results are printed. */
public final class OutputOptions {
    @Option(names = "--json", description = "Print one JSON document at the end instead of the table "
            + "(schema: docs/report.schema.json).")
    boolean json;

    @Option(names = "--jsonl", description = "Print one JSON object per line as things happen (discovery, each "
            + "batch, each node's reply and return), the last one being the summary.")
    boolean jsonl;

    public boolean json() {
        return json;
    }

    public boolean jsonl() {
        return jsonl;
    }

    /** Called before anything is sent. */
    public void check() {
        if (json && jsonl) {
            throw new UsageException("--json and --jsonl cannot be used together");
        }
    }
}
