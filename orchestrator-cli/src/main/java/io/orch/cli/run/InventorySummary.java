package io.orch.cli.run;

import java.util.List;
import java.util.Objects;

/**
 * Where a run's expected nodes came from, for its report.
 *
 * @param source   {@link #REGISTRY} (the broker's announcements, with this host's record), {@link #RECORD} (this
 *                 host's record only: the broker gave none), {@link #NODES_FILE} ({@code --nodes}),
 *                 {@link #IDENTITIES} (exact {@code -I}s) or {@link #NONE}
 * @param known    nodes known from it
 * @param expected nodes the run waited for
 * @param stopped  known nodes that stopped cleanly and were not asked, by identity
 * @param note     what a person should know about it, or null: above all that without an inventory the nodes
 *                 that did not answer cannot be known
 */
public record InventorySummary(String source, int known, int expected, List<String> stopped, String note) {
    public static final String REGISTRY = "registry";
    public static final String RECORD = "record";
    public static final String NODES_FILE = "nodes_file";
    /** The exact identities of {@code -I} named the nodes expected (no {@code --nodes}). */
    public static final String IDENTITIES = "identities";
    public static final String NONE = "none";
    /** What a run without any inventory says. */
    public static final String NO_INVENTORY = "no inventory: nodes that did not answer cannot be listed (no node has "
            + "announced itself on this broker and collective, and this host remembers none; see orch inventory)";

    public InventorySummary {
        Objects.requireNonNull(source, "source == null");
        stopped = List.copyOf(stopped);
    }

    /** Nothing known: discovery ends after a quiet period, and says so. */
    public static InventorySummary none() {
        return new InventorySummary(NONE, 0, 0, List.of(), NO_INVENTORY);
    }
}
