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

    /**
     * Bytes of one audit line, newline included: 4096 is PIPE_BUF on Linux, so a line is one
     * write, and a 256 KiB request costs the audit 4 KiB at most instead of its whole body.
     */
    public static final int AUDIT_MAX_LINE_BYTES = 4096;

    /**
     * Bytes (as escaped in the line) of each free-text field of an audit line: the filter, the
     * message, and the reasons together; the rest is cut with a visible marker. Three of these and
     * the names below stay under {@link #AUDIT_MAX_LINE_BYTES}.
     */
    public static final int AUDIT_MAX_TEXT_BYTES = 768;

    /**
     * Bytes (as escaped in the line) of each name in an audit line: request id, caller, claimed
     * caller, sender, action, decision, reply. Host names go up to 253, CNs rarely past 64.
     */
    public static final int AUDIT_MAX_NAME_BYTES = 192;

    /** Size at which {@code audit.jsonl} becomes {@code audit.jsonl.1} (older generations move up one). */
    public static final long AUDIT_FILE_MAX_BYTES = 8L * 1024 * 1024;

    /**
     * All generations of {@code audit.jsonl} together; the oldest go first beyond it. At least
     * 16,384 lines of the largest kind, some 100,000 of the usual (~600 bytes).
     */
    public static final long AUDIT_TOTAL_MAX_BYTES = 64L * 1024 * 1024;

    /**
     * Size at which {@code audit-reboots.jsonl} (reboot and cancel decisions on requests that passed
     * the signature check, kept apart so that a flood of other requests cannot rotate them away)
     * starts a new generation.
     */
    public static final long AUDIT_DECISIONS_FILE_MAX_BYTES = 1024L * 1024;

    /** All generations of {@code audit-reboots.jsonl} together: at least 2,048 decisions of the largest kind. */
    public static final long AUDIT_DECISIONS_TOTAL_MAX_BYTES = 8L * 1024 * 1024;

    /**
     * Refused reboot and cancel requests (denied, not pending, expired, …) that also go to
     * {@code audit-reboots.jsonl} per minute; the rest are in {@code audit.jsonl} only. Reboots
     * scheduled or cancelled, and scheduled ones the node then did not carry out, always go: they
     * are rare by construction (one reboot at a time, each request id once), so even a flood of
     * refused reboots from a certificate holder takes over an hour to rotate them away.
     */
    public static final int AUDIT_REBOOT_REFUSALS_PER_MINUTE = 30;

    /**
     * Audit generations whose last line is older than this many days are deleted: a year answers
     * "why did this node reboot last spring" without keeping records forever.
     */
    public static final int AUDIT_MAX_AGE_DAYS = 366;

    /**
     * Log lines a node writes per minute about one kind of message it drops unanswered (no
     * temporary reply queue; a reply or event on a request topic); beyond that they are counted,
     * and the count is logged once the next minute allows a line again. The audit has every one.
     */
    public static final int DROPPED_LOG_LINES_PER_MINUTE = 20;

    // --- CLI: queues and output ---
}
