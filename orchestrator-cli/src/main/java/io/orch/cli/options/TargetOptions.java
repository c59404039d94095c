package io.orch.cli.options;

import io.orch.cli.UsageException;
import io.orch.cli.inventory.NodeList;
import io.orch.protocol.Limits;
import java.nio.file.Path;
import java.util.Set;
import picocli.CommandLine.Option;

/** Narrowing the matched nodes down: an expected inventory, nodes to leave alone, and a cap. */
public final class TargetOptions {
    @Option(names = "--nodes", paramLabel = "FILE",
            description = "Inventory: identities expected to answer, one a line (# comments allowed). Each is "
                    + "asked on its own topic, not by broadcast (up to " + Limits.MAX_DIRECT_DISCOVERY + " nodes, "
                    + "unless a -I is a /regex/). Discovery ends as soon as all have answered; the others are "
                    + "reported as no response, with when they were last seen.")
    Path nodesFile;

    @Option(names = "--exclude-nodes", paramLabel = "FILE",
            description = "Identities never to act on, one a line. They are reported as skipped.")
    Path excludeFile;

    @Option(names = "--limit", paramLabel = "N|N%", converter = Amount.Converter.class,
            description = "Act on at most N (or N%%) of the matched nodes, the first by identity; the rest are "
                    + "reported as skipped.")
    Amount limit;

    @Option(names = "--one", description = "Act on one matched node only (the first by identity): --limit 1.")
    boolean one;

    public Set<String> inventory() {
        return nodesFile == null ? Set.of() : NodeList.read("--nodes", nodesFile);
    }

    public Set<String> excluded() {
        return excludeFile == null ? Set.of() : NodeList.read("--exclude-nodes", excludeFile);
    }

    public Path excludeFile() {
        return excludeFile;
    }

    /** The cap on targets, or null for none. */
    public Amount limit() {
        if (one && limit != null) {
            throw new UsageException("--one and --limit cannot be used together");
        }
        return one ? new Amount(1, false) : limit;
    }

    public String limitFlag() {
        return one ? "--one" : "--limit " + limit;
    }
}
