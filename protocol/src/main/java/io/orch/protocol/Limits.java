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

    /**
     * Standard output a node keeps from a command it runs (rpm, the sentinel command, the reboot
     * command), read while the command runs: the rest is read and dropped (the command still runs to
     * its end) and the result marked truncated. 1 MiB holds {@code rpm -q} of every core package many
     * times over and is nothing to a 32 MB heap.
     */
    public static final int COMMAND_OUTPUT_MAX_BYTES = 1024 * 1024;

    /**
     * Standard output a node reads from one external fact script, read while the script runs: past
     * it the script is killed and gives a {@code fact_errors} entry instead of facts. Facts travel in
     * every discover reply, so 64 KiB is far more than any useful set and keeps scripts that run side
     * by side well inside the heap.
     */
    public static final int FACT_SCRIPT_OUTPUT_MAX_BYTES = 64 * 1024;

    // --- Audit and state files ---

    /**
     * Largest journal file ({@code pending-reboot.json}, {@code last-reboot.json}) a node reads back:
     * an entry is a few KiB (its reasons' evidence); anything larger was not written by orch.
     */
    public static final int STATE_FILE_MAX_BYTES = 1024 * 1024;

    // --- CLI: queues and output ---
}
