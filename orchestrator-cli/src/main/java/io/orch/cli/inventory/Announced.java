package io.orch.cli.inventory;

/**
 * An announcement the bus handed over, read but not yet verified: checking a signature costs, and a
 * node that answers the run proves itself by its signed reply, so only the announcements of nodes
 * that stay silent are checked ({@link #verify}).
 */
public interface Announced {
    /** What it says; not to be believed before {@link #verify} unless the node answered. */
    KnownNode node();

    /**
     * Checks its signature and certificate now.
     *
     * @return null when it is believed, else why not (the bus keeps it among the run's unverified notes)
     */
    String verify();
}
