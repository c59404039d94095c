package io.orch.protocol;

/**
 * Every limit orch enforces on what a message, a file or a peer can make it do, in one place, so
 * that a reviewer can see the whole budget at once and a refusal can name the limit it hit
 * ({@code invalid: filter has 100 regexes, limit 16}). Each constant says what it bounds and why
 * that value; docs/limits.md lists them for operators.
 */
public final class Limits {
    private Limits() {
    }

    // --- Wire: message size and envelope fields ---

    // --- Filters: per-request budget, checked before anything is compiled ---

    // --- Transport: frame size, prefetch, reconnects ---

    // --- Node: rate limits, fact scripts, commands ---

    // --- Audit and state files ---

    // --- CLI: queues and output ---

    /**
     * Most characters of one node-supplied field (a message, a warning, an identity) the CLI prints to a
     * terminal; the rest is cut with a note. A reply may be 256 KiB of one fact value: one row stays a
     * row a person can read, and whatever was cut is still in {@code --json}.
     */
    public static final int CLI_FIELD_MAX_CHARS = 2000;

    /**
     * Most time a node's reported {@code effective_delay_s} may add to its {@code --wait} beyond
     * {@code --delay}: shutdown's whole minutes add under a minute; a broken or lying node must not hold
     * a rollout for a day.
     */
    public static final long CLI_EXECUTOR_EXTRA_WAIT_MAX_S = 3600;
}
