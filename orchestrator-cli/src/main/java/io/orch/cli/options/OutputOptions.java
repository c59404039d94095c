package io.orch.cli.options;

import picocli.CommandLine.Option;

/** How results are printed. */
public final class OutputOptions {
    @Option(names = "--json", description = "Print one JSON document instead of the table.")
    boolean json;

    public boolean json() {
        return json;
    }
}
