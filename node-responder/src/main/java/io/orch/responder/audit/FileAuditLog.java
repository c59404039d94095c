package io.orch.responder.audit;

import io.orch.protocol.Limits;
import io.orch.responder.request.MinuteWindow;
import io.orch.responder.request.RateLimitedLog;
import io.orch.responder.state.StateFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's audit, in its state folder: one JSON line per request in {@code audit.jsonl}; of the
 * reboot and cancel requests that passed the signature check, the promises (reboots scheduled,
 * cancelled, or scheduled and then not carried out) once more in {@code audit-reboots.jsonl}, and
 * the refusals once more in {@code audit-reboot-refusals.jsonl} (at most
 * {@link Limits#MAX_AUDIT_REBOOT_REFUSALS_PER_MINUTE} a minute). Each file keeps older generations
 * within its own size and age budget ({@link Limits}): a flood of cheap, unsigned or refused
 * requests can rotate {@code audit.jsonl} and the refusals, never the promises.
 *
 * <p>Lines also go to the system log through the {@code orch.audit} logger (the shipped logback
 * config sends it to the journal): those of signed requests always, the others (anyone can send
 * them by the thousand) at most {@link Limits#MAX_AUDIT_UNAUTHENTICATED_LOG_LINES_PER_MINUTE} a
 * minute, the rest counted. A failed write is logged (once a minute at most) and never stops the request.
 */
public final class FileAuditLog implements AuditLog {
    private static final Logger log = LoggerFactory.getLogger(FileAuditLog.class);
    /** The system log's copy of every line, at INFO. */
    public static final Logger SYSTEM_LOG = LoggerFactory.getLogger("orch.audit");
    public static final String FILE_NAME = "audit.jsonl";
    /** The promises: reboots scheduled or cancelled, and scheduled ones not carried out. */
    public static final String DECISIONS_FILE_NAME = "audit-reboots.jsonl";
    /** The refused reboots and cancels of signed requests, a few a minute. */
    public static final String REFUSALS_FILE_NAME = "audit-reboot-refusals.jsonl";

    private final AuditFile all;
    private final AuditFile decisions;
    private final AuditFile refused;
    /** The system log's copy of lines that anyone on the bus can cause. */
    private final RateLimitedLog unauthenticatedCopy;
    private final AuditLines lines = new AuditLines();
    /** This minute's share of refused reboots and cancels in the refusals file. */
    private final MinuteWindow refusals;
    /** A full disk fails every write: one warning a minute, with how many failed since the last. */
    private final MinuteWindow failures;

    /** The audit in a folder that is not checked (tests, tools), within the budgets of {@link Limits}. */
    public FileAuditLog(Path stateDir, Clock clock) {
        this(StateFolder.unchecked(stateDir), clock);
    }

    /** The audit in the node's state folder, within the budgets of {@link Limits}. */
    public FileAuditLog(StateFolder folder, Clock clock) {
        this(folder, new AuditFile.Budget(Limits.MAX_AUDIT_FILE_BYTES, Limits.MAX_AUDIT_TOTAL_BYTES,
                        Duration.ofDays(Limits.MAX_AUDIT_AGE_DAYS)),
                new AuditFile.Budget(Limits.MAX_AUDIT_DECISIONS_FILE_BYTES, Limits.MAX_AUDIT_DECISIONS_TOTAL_BYTES,
                        Duration.ofDays(Limits.MAX_AUDIT_AGE_DAYS)),
                new AuditFile.Budget(Limits.MAX_AUDIT_REFUSALS_FILE_BYTES, Limits.MAX_AUDIT_REFUSALS_TOTAL_BYTES,
                        Duration.ofDays(Limits.MAX_AUDIT_AGE_DAYS)), clock);
    }

    /** With budgets of its own for each file (tests make them small); the refusals get the decisions' budget. */
    FileAuditLog(Path stateDir, AuditFile.Budget allBudget, AuditFile.Budget decisionsBudget, Clock clock) {
        this(StateFolder.unchecked(Objects.requireNonNull(stateDir, "stateDir == null")), allBudget, decisionsBudget,
                decisionsBudget, clock);
    }

    private FileAuditLog(StateFolder folder, AuditFile.Budget allBudget, AuditFile.Budget decisionsBudget,
                         AuditFile.Budget refusalsBudget, Clock clock) {
        this.all = new AuditFile(folder, FILE_NAME, allBudget, clock);
        this.decisions = new AuditFile(folder, DECISIONS_FILE_NAME, decisionsBudget, clock);
        this.refused = new AuditFile(folder, REFUSALS_FILE_NAME, refusalsBudget, clock);
        Objects.requireNonNull(clock, "clock == null");
        this.refusals = new MinuteWindow(Limits.MAX_AUDIT_REBOOT_REFUSALS_PER_MINUTE, clock);
        this.failures = new MinuteWindow(1, clock);
        this.unauthenticatedCopy = new RateLimitedLog(SYSTEM_LOG, Limits.MAX_AUDIT_UNAUTHENTICATED_LOG_LINES_PER_MINUTE,
                clock);
    }

    /** {@code audit.jsonl}: every request. */
    public Path file() {
        return all.path();
    }

    /** {@code audit-reboots.jsonl}: the promises (reboots scheduled, cancelled, not carried out). */
    public Path decisionsFile() {
        return decisions.path();
    }

    /** {@code audit-reboot-refusals.jsonl}: the refused reboots and cancels of signed requests. */
    public Path refusalsFile() {
        return refused.path();
    }

    @Override
    public synchronized void record(AuditEntry entry) {
        String line = lines.line(entry);
        if (entry.authenticated()) {
            SYSTEM_LOG.info("{}", line);
        } else {
            // Kinds from a closed set: never anything the message says.
            unauthenticatedCopy.info(entry.reply() == null ? "unanswered audit line" : "unauthenticated audit line",
                    "{}", line);
        }
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        append(all, bytes);
        if (entry.rebootDecision()) {
            if (entry.promise()) {
                append(decisions, bytes);
            } else if (refusalAllowed()) {
                append(refused, bytes);
            }
        }
    }

    /** Whether one more refused reboot or cancel fits this minute's share of the refusals file. */
    private boolean refusalAllowed() {
        return refusals.admit((since, count) -> { }); // the general audit.jsonl has every one of them
    }

    private void append(AuditFile file, byte[] bytes) {
        try {
            file.append(bytes);
        } catch (IOException | RuntimeException e) {
            long[] earlier = {0};
            if (failures.admit((since, count) -> earlier[0] = count)) {
                log.warn("cannot append to audit log {}: {} ({} failed writes since the last such line)", file.path(),
                        e.toString(), earlier[0] + 1);
            }
        }
    }
}
