package io.orch.protocol;

import java.time.Duration;

/**
 * Every limit orch enforces on what a message, a file or a peer can make it do, in one place, so
 * that a reviewer can see the whole budget at once and a refusal can name the limit it hit
 * ({@code invalid: filter has 100 regexes, limit 16}). Each constant says what it bounds and why
 * that value; docs/limits.md lists them for operators (a test keeps the two in step).
 */
public final class Limits {
    private Limits() {
    }

    // --- Wire: message size and envelope fields ---

    /** Largest message body, in UTF-8 bytes: no request needs more, and it bounds what one message costs. */
    public static final int MAX_BODY_BYTES = 256 * 1024;
    /** Deepest JSON nesting in a body: orch's messages nest a few levels; deeper is an attack on the parser. */
    public static final int MAX_JSON_DEPTH = 64;
    /** Longest JSON number, in characters: any real value fits; longer ones only cost time to parse. */
    public static final int MAX_JSON_NUMBER_CHARS = 64;
    /** The longest lifetime a node accepts ({@code ttl_s}): a captured request must not stay usable for days. */
    public static final int MAX_TTL_SECONDS = 3600;
    /**
     * The longest lifetime of a {@code reboot} or {@code cancel}: 5 minutes. The CLI gives a request
     * the time it waits for replies ({@code --timeout}, 20 s by default), and a node answers a reboot
     * before it acts, once its detectors ran (each bounded at 60 s); 5 minutes is ample for that on a
     * busy broker, while a reboot request held back in transit stays usable for minutes, not an hour.
     */
    public static final int MAX_REBOOT_TTL_SECONDS = 300;
    /** Longest reboot delay ({@code delay_s}): a day; a reboot planned further ahead belongs in a schedule. */
    public static final long MAX_REBOOT_DELAY_SECONDS = 86_400;
    /** Longest reboot message, in characters: it is shown to logged-in users and kept in the journal. */
    public static final int MAX_REBOOT_MESSAGE_CHARS = 400;
    /** Longest request id, in characters: a UUID is 36; ids go into logs, correlation ids and the replay file. */
    public static final int MAX_REQUEST_ID_CHARS = 128;
    /** Longest reason name ({@code kernel_update}), in characters. */
    public static final int MAX_REASON_NAME_CHARS = 64;
    /** Most reason names in {@code onlyif} or {@code unless}: there are about a dozen detectors. */
    public static final int MAX_REASON_NAMES = 32;
    /** Most request ids in one {@code cancel}: one per batch of a rolling run. */
    public static final int MAX_CANCEL_REQUEST_IDS = 1000;
    /** Longest collective name, in characters: it is the prefix of every destination name. */
    public static final int MAX_COLLECTIVE_CHARS = 64;
    /** Longest identity, in characters: a fully qualified host name (DNS allows 253). */
    public static final int MAX_IDENTITY_CHARS = 253;
    /** Longest certificate text a message may carry: a chain of a few RSA 4096 certificates. */
    public static final int MAX_CERTIFICATE_CHARS = 16 * 1024;
    /**
     * Longest boot id in an announcement, in characters: Linux's is a 36-character UUID, Windows' a
     * GUID in braces (38); ids are printed in inventories.
     */
    public static final int MAX_BOOT_ID_CHARS = 128;
    /** Longest orch version in an announcement, in characters: {@code 0.1.0-SNAPSHOT} is 14. */
    public static final int MAX_VERSION_CHARS = 64;
    /**
     * Shortest announcement interval ({@code registry.interval} of a node, {@code interval_s} of an
     * announcement): 60 s. 10,000 nodes at that pace are 167 signed messages a second at the broker and
     * as many signatures a second across the fleet; a reader counts an {@code up} node stale only after
     * a few intervals, so a shorter one buys little.
     */
    public static final int MIN_ANNOUNCE_INTERVAL_SECONDS = 60;
    /** Longest announcement interval: a day; a reader cannot tell a node quiet for longer from a lost one. */
    public static final int MAX_ANNOUNCE_INTERVAL_SECONDS = 86_400;
    /**
     * Lifetime of the marker an inventory reader publishes on {@code <collective>.registry.~sync}
     * ({@code JMSExpiration}): 60 s. The broker keeps the last message of every registry topic, this one
     * too; past its expiry no later reader is handed a stale marker (readers ignore other readers' markers
     * anyway). Long enough for the recovery of a large fleet and for some clock skew between reader and broker.
     */
    public static final long REGISTRY_BARRIER_TTL_MS = 60_000;

    // --- Filters: per-request budget, checked before anything is compiled ---

    /**
     * Deepest nesting of parentheses and {@code not} in a {@code -S} expression: hand-written ones
     * nest a few levels; this bounds the parser's and the evaluator's recursion.
     */
    public static final int MAX_FILTER_DEPTH = 100;
    /**
     * Most comparisons in one request's filter ({@code -F}, {@code -S} atoms and {@code -I}
     * regexes): far more than anyone types, and each costs a little memory and time on every node.
     * Exact {@code -I} identities are counted apart ({@link #MAX_FILTER_IDENTITIES}).
     */
    public static final int MAX_FILTER_ATOMS = 1_000;
    /**
     * Most exact {@code -I} identities in one request: a script may pass its whole inventory, and
     * each costs one string comparison; the body size bounds them too.
     */
    public static final int MAX_FILTER_IDENTITIES = 20_000;
    /** Most regexes in one request's filter: a handful is typical, and each compiles to a program on every node. */
    public static final int MAX_FILTER_REGEXES = 16;
    /**
     * Deepest nesting inside one regex: groups, plus one level per optional copy of a counted
     * repetition ({@code a{0,100}} nests 100 deep), because RE2/J's compiler recurses once per
     * level. 100 compiles with half of the responder's 256 KiB thread stack to spare.
     */
    public static final int MAX_REGEX_NESTING = 100;
    /**
     * Largest estimated program of one regex, in steps ({@code a{1000}} is about 1000): RE2/J keeps
     * about 70 bytes a step, so 10,000 is under 1 MiB.
     */
    public static final long MAX_REGEX_SIZE = 10_000;
    /**
     * Largest estimated program size of all regexes of one request together: two regexes at
     * {@link #MAX_REGEX_SIZE}, about 1.5 MiB compiled, well inside the responder's 32 MiB heap
     * (100 regexes of 9,900 steps each needed over 70 MiB and ended the node).
     */
    public static final long MAX_FILTER_REGEX_SIZE = 20_000;

    // --- Transport: frame size, prefetch, reconnects ---

    /**
     * Largest OpenWire frame a client or broker of orch reads or writes ({@code wireFormat.maxFrameSize}):
     * 1 MiB. The transport refuses a larger frame from its size prefix, before reading the body, and
     * closes that one connection; so no node ever holds a flood message in memory. The arithmetic: a
     * whole message body, signed envelope and certificate chain included, is at most
     * {@link #MAX_BODY_BYTES} (256 KiB) of UTF-8; OpenWire carries text
     * as modified UTF-8, at most 1.5 times that for JSON (a 4-byte character becomes 6 bytes), so 384 KiB;
     * JMS headers (destinations, reply-to, ids up to a few hundred bytes each) and the command around
     * it add well under 16 KiB. 400 KiB at worst, so 1 MiB leaves more than twice that as margin.
     */
    public static final int MAX_FRAME_BYTES = 1024 * 1024;

    /**
     * Longest silence on a connection before the transport calls it dead
     * ({@code wireFormat.maxInactivityDuration}, negotiated down to the lower side): 30 s. It is how a
     * node notices a broker host that vanished without closing its sockets; keep-alives go out at a
     * third of it when nothing else does, so lower values multiply idle traffic across a fleet.
     */
    public static final int MAX_INACTIVITY_MS = 30_000;

    /**
     * Messages the broker sends a node's consumer ahead of its acknowledgements
     * ({@code jms.prefetchPolicy.topicPrefetch}; ActiveMQ's default is 32,766): 4. A node has two
     * consumers (broadcast and its own topic), so a flood of the largest frames can put at most
     * 2 × 4 × {@link #MAX_FRAME_BYTES} = 8 MiB in its client buffers, within the shipped 32 MB heap;
     * the rest waits at the broker, where {@link #MAX_BROKER_TOPIC_PENDING} bounds it. Requests come a
     * few a minute, and with acknowledgements every second message a node still takes hundreds a second.
     */
    public static final int NODE_TOPIC_PREFETCH = 4;

    /**
     * Messages the broker keeps waiting for one slow consumer of a non-durable topic before it drops the
     * oldest ({@code constantPendingMessageLimitStrategy} on {@code orch broker} and the shipped
     * {@code activemq.xml}): 1,000. A node that cannot keep up with a flood loses old requests (they
     * carry a TTL and would be refused as expired anyway) instead of the broker holding them without bound.
     */
    public static final int MAX_BROKER_TOPIC_PENDING = 1000;

    /**
     * Messages the broker keeps waiting for one subscriber of the registry topics ({@code *.registry.>}, a
     * policy entry of its own in {@code orch broker} and the shipped {@code activemq.xml}): 50,000. A new
     * inventory reader is handed the latest announcement of every node at once, so this must exceed the
     * nodes on the broker, or the oldest would be dropped before the reader's end-of-recovery marker
     * arrives and nodes would go missing unnoticed. At a few KB an announcement, a reader that stops
     * reading costs the broker at most about 125 MB before the oldest are dropped.
     */
    public static final int MAX_BROKER_REGISTRY_PENDING = 50_000;

    /**
     * First wait before a node reconnects to a lost broker ({@code initialReconnectDelay}): 100 ms,
     * doubled at each failed attempt ({@code useExponentialBackOff}) up to {@link #RECONNECT_MAX_DELAY_MS}.
     */
    public static final int RECONNECT_INITIAL_DELAY_MS = 100;

    /**
     * Longest wait between a node's reconnect attempts ({@code maxReconnectDelay}; ActiveMQ's default is
     * 30 s): 2 s, so every node is back within about 2 s of the broker's return, however long the outage.
     * While the broker is away, 10,000 nodes make at most 5,000 connection attempts a second against a
     * closed port, each refused at once.
     */
    public static final int RECONNECT_MAX_DELAY_MS = 2000;

    /**
     * Longest a node's send waits while the broker is away ({@code timeout} of the failover transport):
     * 10 s. Without it a reply or an event would block the node's sending thread until the broker returns.
     */
    public static final int MAX_SEND_WHILE_DISCONNECTED_MS = 10_000;

    /**
     * Connections {@code orch broker}'s STOMP connector accepts at once ({@code maximumConnections}):
     * 256. STOMP is for operators' scripts in other languages, never for nodes, so a few at a time;
     * each TLS connection holds buffers of its own, and a client opening connections without end
     * stops here instead of at the broker's heap or file descriptors.
     */
    public static final int MAX_BROKER_STOMP_CONNECTIONS = 256;

    /**
     * Connection attempts {@code orch lab} makes at start before it reports the broker unreachable
     * ({@code startupMaxReconnectAttempts}); once connected it reconnects for ever, as nodes do.
     */
    public static final int LAB_STARTUP_CONNECT_ATTEMPTS = 3;

    /**
     * How long {@code orch lab} waits for the broker to make its nodes' topics before the nodes subscribe
     * (see {@code Lab.createTopics}); past it the lab goes on and the nodes make what is missing themselves.
     */
    public static final long LAB_TOPICS_WAIT_MS = 60_000;

    /**
     * Audit lines the lab's nodes may leave to their shared writer before a node writes its own line
     * itself, on its dispatch thread: the lab answers a broadcast first and writes its audit files
     * after, within this much memory (a few hundred bytes a line).
     */
    public static final int LAB_AUDIT_QUEUE_LINES = 100_000;

    /**
     * How long no new audit line must have come before the lab's writer writes the waiting ones: a broadcast's
     * replies leave first, as on a fleet where each node writes on its own CPU, not on the one the others share.
     */
    public static final long LAB_AUDIT_IDLE_MS = 100;

    /** The longest an audit line of the lab waits for an idle moment before it is written anyway. */
    public static final long LAB_AUDIT_MAX_DELAY_MS = 10_000;

    /**
     * Lifetime on the broker of a node's replies that confirm nothing, and of its events: two minutes is
     * longer than any CLI waits for an answer, and a consumer that comes later has no use for them.
     */
    public static final long NODE_MESSAGE_TTL_MS = 120_000;

    /**
     * How long a stopping node waits for its last announcement ({@code stopped} or {@code rebooting}) to
     * leave: 2 s. With its broker gone a send would wait for the broker's return, and a node that is
     * stopping for a reboot must not hold the reboot up; it leaves without the last word (the CLI then
     * finds it {@code no response}, with its last announcement). A node that knows its broker is gone does
     * not try at all.
     */
    public static final long NODE_LAST_ANNOUNCEMENT_WAIT_MS = 2_000;
    /**
     * How long a node waits for the broker to confirm a {@code scheduled} reply before it gives the
     * reboot up: past it the requester may already list the node as not answering.
     */
    public static final long REPLY_CONFIRM_TIMEOUT_MS = 10_000;

    // --- Node: rate limits, fact scripts, commands ---

    /**
     * The span the per-caller rate limits below are counted over. A caller's allowance refills
     * evenly over it (a token bucket), so a burst up to the limit is fine and then one request per
     * window/limit seconds.
     */
    public static final int RATE_WINDOW_SECONDS = 60;
    /**
     * {@code status} requests one caller may send one node per window: each runs every pending
     * detector and fact script. A change-window script polling every 2 s sends 30; a rolling
     * {@code --wait} sends one probe per batch.
     */
    public static final int MAX_STATUS_PER_WINDOW = 60;
    /** {@code reboot} requests one caller may send one node per window: a rolling run sends one per node. */
    public static final int MAX_REBOOT_PER_WINDOW = 30;
    /** {@code cancel} requests one caller may send one node per window: one per run that is stopped. */
    public static final int MAX_CANCEL_PER_WINDOW = 30;
    /**
     * {@code discover} requests one caller may send one node per window: cheap alone, but a filter
     * on {@code reboot_pending} makes every node that receives it run its detectors, and a
     * broadcast reaches them all. Every run discovers once; 5 a second is far above that.
     */
    public static final int MAX_DISCOVER_PER_WINDOW = 300;
    /** {@code ping} requests one caller may send one node per window: its filter may run the detectors too. */
    public static final int MAX_PING_PER_WINDOW = 300;
    /**
     * Callers whose allowance a node tracks; the one heard from longest ago is forgotten (and starts
     * afresh). Signed callers are the site's operators and scripts: a few dozen.
     */
    public static final int MAX_RATE_LIMITED_CALLERS = 1_024;
    /** Most clock skew a node may be configured to allow ({@code requests.clock_skew_s}): more makes the TTL meaningless. */
    public static final int MAX_CLOCK_SKEW_SECONDS = 300;
    /** Longest a fact script or the sentinel command may hold up a request: a request lives a minute by default. */
    public static final int MAX_COMMAND_TIMEOUT_SECONDS = 60;
    /**
     * Request ids a node remembers at once against replays: 18 requests a second, each with the
     * longest lifetime (an hour; the CLI's live 20 s by default). When it is reached, new requests
     * are refused rather than live ids forgotten.
     */
    public static final int MAX_LIVE_REQUEST_IDS = 65_536;
    /**
     * Request ids of one caller the replay memory holds at once: a quarter of
     * {@link #MAX_LIVE_REQUEST_IDS}, so one certificate holder cannot fill it for the others. Only
     * requests that passed every gate check (rate limits included) take room, so a caller reaches
     * it only by sending some 11 requests a second with the longest lifetime for 25 minutes.
     */
    public static final int MAX_LIVE_REQUEST_IDS_PER_CALLER = 16_384;
    /** The longest maintenance window in a policy: a longer one would cover more than every hour of the week. */
    public static final Duration MAX_MAINTENANCE_WINDOW = Duration.ofDays(7);
    /** Most packages a {@code reboot-required.pkgs} file lists in the evidence: it stays readable. */
    public static final int MAX_PENDING_PACKAGES = 200;
    /** Most bytes read from a {@code reboot-required.pkgs} file: a huge or binary file cannot exhaust the heap. */
    public static final int MAX_PENDING_PACKAGES_BYTES = 64 * 1024;
    /** Most characters of a reboot command's output kept in a {@code reboot_failed} message. */
    public static final int MAX_REBOOT_OUTPUT_CHARS = 500;

    /**
     * Standard output a node keeps from a command it runs (rpm, the sentinel command, the reboot
     * command), read while the command runs: the rest is read and dropped (the command still runs to
     * its end) and the result marked truncated. 1 MiB holds {@code rpm -q} of every core package many
     * times over and is nothing to a 32 MB heap.
     */
    public static final int MAX_COMMAND_OUTPUT_BYTES = 1024 * 1024;

    /**
     * Standard output a node reads from one external fact script, read while the script runs: past
     * it the script is killed and gives a {@code fact_errors} entry instead of facts. Facts travel in
     * every discover reply, so 64 KiB is far more than any useful set and keeps scripts that run side
     * by side well inside the heap.
     */
    public static final int MAX_FACT_SCRIPT_OUTPUT_BYTES = 64 * 1024;

    /**
     * Standard error a node keeps from a command it runs, for the message when it fails: 4 KiB, the
     * head of a complaint; the rest is read and dropped so the command never blocks on a full pipe.
     */
    public static final int MAX_COMMAND_ERROR_BYTES = 4096;

    /**
     * How long a node keeps reading a command's output after the command exited, for a child it left
     * running that holds the pipes open: 500 ms, then the result is taken as it is. Without a bound a
     * daemon started by a script would hold up the request for as long as it lives.
     */
    public static final int COMMAND_DRAIN_MS = 500;

    /**
     * Characters of a command's output or complaint quoted in a reply (the sentinel command's evidence,
     * a fact script's or a detector's error, PowerShell's answer): 200, a line or two, which is
     * what an operator reads in a table; the whole text would grow every discover reply.
     */
    public static final int MAX_QUOTED_OUTPUT_CHARS = 200;

    /**
     * Files of {@code PendingFileRenameOperations} listed in the evidence on Windows: 20; the list can
     * hold thousands after an update, and the evidence travels in every status reply.
     */
    public static final int MAX_PENDING_RENAMES_SHOWN = 20;

    /** Subkeys of a pending-reboot registry key listed in the evidence on Windows: 20, for the same reason. */
    public static final int MAX_REGISTRY_SUBKEYS_SHOWN = 20;

    /**
     * Longest reboot delay Windows takes ({@code MAX_SHUTDOWN_TIMEOUT}, ten years in seconds): a
     * longer delay is refused with {@code reboot_failed} rather than handed to Windows to refuse.
     */
    public static final long WINDOWS_MAX_SHUTDOWN_DELAY_S = 10L * 365 * 24 * 60 * 60;

    /** Characters of the reboot message Windows shows ({@code shutdown /c} takes 512); the rest is cut. */
    public static final int WINDOWS_MAX_SHUTDOWN_MESSAGE_CHARS = 512;

    /**
     * Past this after its due time (the delay rounded up to whole minutes, as {@code shutdown -r +N}
     * counts), a reboot handed to the OS that has not happened on this boot never will, and the node
     * says so ({@code reboot_interrupted}).
     */
    public static final Duration OS_REBOOT_GRACE = Duration.ofMinutes(2);
    /**
     * Lines of the replay memory's file after which it is rewritten with only the live ids (when
     * more than half are dead): the file stays small, and a start reads it quickly.
     */
    public static final int REPLAY_FILE_COMPACT_AT_LINES = 4_096;

    // --- Trust: certificates remembered ---

    /** Certificates a verifier remembers, verified or refused; the oldest go first. */
    public static final int MAX_REMEMBERED_CERTIFICATES = 20_000;
    /** Certificate checks kept on disk across restarts; the oldest go first. */
    public static final int MAX_KNOWN_CERTIFICATES = 20_000;
    /** Longest chain followed by issuer names before the path builder takes over: real chains have 2 or 3. */
    public static final int MAX_CHAIN_LENGTH = 8;
    /**
     * How long a verified certificate is trusted before its chain and the CRL are checked again:
     * 5 minutes, so a revocation reaches every node within that, while a fleet sending the same few
     * certificates pays one chain check per certificate per 5 minutes.
     */
    public static final Duration CERTIFICATE_RECHECK_AFTER = Duration.ofMinutes(5);
    /**
     * How long a refused certificate stays refused without being checked again: 1 minute, so a flood
     * of junk certificates costs one chain check each per minute, and a fixed one is accepted soon.
     */
    public static final Duration CERTIFICATE_REFUSAL_KEPT = Duration.ofMinutes(1);
    /**
     * Envelopes a verifier shared by the lab's simulated nodes remembers as checked: 16, the few
     * requests in flight at once, so one broadcast is verified once, not once per node.
     */
    public static final int SHARED_SIGNATURES_KEPT = 16;
    /**
     * How long a chain check kept on disk counts across CLI runs: 1 hour, so a revocation reaches the
     * CLI within the hour while runs that follow each other skip thousands of chain checks.
     */
    public static final Duration KNOWN_CERTIFICATE_KEPT = Duration.ofHours(1);

    // --- Audit and state files ---

    /**
     * Largest journal file ({@code pending-reboot.json}, {@code last-reboot.json}) a node reads back:
     * an entry is a few KiB (its reasons' evidence); anything larger was not written by orch.
     */
    public static final int MAX_STATE_FILE_BYTES = 1024 * 1024;

    /**
     * Bytes of one audit line, newline included: 4096 is PIPE_BUF on Linux, so a line is one
     * write, and a 256 KiB request costs the audit 4 KiB at most instead of its whole body.
     */
    public static final int MAX_AUDIT_LINE_BYTES = 4096;

    /**
     * Bytes (as escaped in the line) of each free-text field of an audit line: the filter, the
     * message, and the reasons together; the rest is cut with a visible marker. Three of these and
     * the names below stay under {@link #MAX_AUDIT_LINE_BYTES}.
     */
    public static final int MAX_AUDIT_TEXT_BYTES = 768;

    /**
     * Bytes (as escaped in the line) of each name in an audit line: request id, caller, claimed
     * caller, sender, action, decision, reply. Host names go up to 253, CNs rarely past 64.
     */
    public static final int MAX_AUDIT_NAME_BYTES = 192;

    /** Size at which {@code audit.jsonl} becomes {@code audit.jsonl.1} (older generations move up one). */
    public static final long MAX_AUDIT_FILE_BYTES = 8L * 1024 * 1024;

    /**
     * All generations of {@code audit.jsonl} together; the oldest go first beyond it. At least
     * 16,384 lines of the largest kind, some 100,000 of the usual (~600 bytes).
     */
    public static final long MAX_AUDIT_TOTAL_BYTES = 64L * 1024 * 1024;

    /**
     * Size at which {@code audit-reboots.jsonl} starts a new generation. It holds the promises of
     * requests that passed the signature check: reboots scheduled, reboots cancelled, and scheduled
     * ones the node then did not carry out. No refusal ever goes there, so no flood of refusals can
     * rotate a promise away; only callers the policy lets reboot and cancel write to it, at most
     * {@link #MAX_REBOOT_PER_WINDOW} and {@link #MAX_CANCEL_PER_WINDOW} a minute each.
     */
    public static final long MAX_AUDIT_DECISIONS_FILE_BYTES = 1024L * 1024;

    /** All generations of {@code audit-reboots.jsonl} together: at least 2,048 promises of the largest kind. */
    public static final long MAX_AUDIT_DECISIONS_TOTAL_BYTES = 8L * 1024 * 1024;

    /**
     * Size at which {@code audit-reboot-refusals.jsonl} starts a new generation: the refused reboot
     * and cancel requests (denied, not pending, expired, rate limited, …) that passed the signature
     * check, apart from the promises so that they never share a budget.
     */
    public static final long MAX_AUDIT_REFUSALS_FILE_BYTES = 1024L * 1024;

    /** All generations of {@code audit-reboot-refusals.jsonl} together: at least 2,048 refusals of the largest kind. */
    public static final long MAX_AUDIT_REFUSALS_TOTAL_BYTES = 8L * 1024 * 1024;

    /**
     * Refused reboot and cancel requests written to {@code audit-reboot-refusals.jsonl} per
     * minute; the rest are in {@code audit.jsonl} only. A certificate holder sending refused reboots
     * as fast as the broker goes thus takes over an hour to rotate that file's older refusals away.
     */
    public static final int MAX_AUDIT_REBOOT_REFUSALS_PER_MINUTE = 30;

    /**
     * Audit lines of requests that did not pass the signature check (unsigned, forged, unreadable,
     * or dropped unanswered) copied to the system log ({@code orch.audit}) per minute; the rest are
     * counted in a line once the next minute allows one, and stay in {@code audit.jsonl}. Anyone on
     * the bus can send those by the thousand: they must not use up the journal's own rate limit
     * before the lines of signed requests reach it. Signed requests' lines are always copied.
     */
    public static final int MAX_AUDIT_UNAUTHENTICATED_LOG_LINES_PER_MINUTE = 60;

    /**
     * Audit generations whose last line is older than this many days are deleted: a year answers
     * "why did this node reboot last spring" without keeping records forever.
     */
    public static final int MAX_AUDIT_AGE_DAYS = 366;

    /**
     * Log lines a node writes per minute about one kind of message it drops unanswered (no
     * temporary reply queue; a reply or event on a request topic); beyond that they are counted,
     * and the count is logged once the next minute allows a line again. The audit has every one.
     */
    public static final int MAX_DROPPED_LOG_LINES_PER_MINUTE = 20;

    /**
     * Characters of a name from a message (a claimed caller or sender, a destination, a correlation
     * id) that a node's log line shows, controls and invisible characters as {@code ?}: enough to
     * recognise it, too few to bury the line.
     */
    public static final int MAX_LOG_NAME_CHARS = 128;

    /**
     * Characters of a refusal text that may quote a message (a decoder's or the filter parser's
     * message) that a node's log line shows, as {@link #MAX_LOG_NAME_CHARS}; the audit keeps more.
     */
    public static final int MAX_LOG_MESSAGE_CHARS = 512;

    // --- CLI: queues and output ---

    /**
     * Most characters of one node-supplied field (a message, a warning, an identity) the CLI prints to a
     * terminal; the rest is cut with a note. A reply may be 256 KiB of one fact value: one row stays a
     * row a person can read, and whatever was cut is still in {@code --json}.
     */
    public static final int MAX_CLI_FIELD_CHARS = 2000;

    /**
     * Most time a node's reported {@code effective_delay_s} may add to its {@code --wait} beyond
     * {@code --delay}: shutdown's whole minutes add under a minute; a broken or lying node must not hold
     * a rollout for a day.
     */
    public static final long MAX_CLI_EXTRA_WAIT_SECONDS = 3600;

    /**
     * Replies, events and unreadable-message notes one CLI inbox holds between the JMS delivery thread
     * and the run: 65,536. The run drains as fast as messages arrive; the bound matters only when it
     * cannot keep up, so it is sized for a whole fleet answering at once (10,000 nodes, each reply and a
     * few events) with room to spare. Beyond it a message is dropped and counted, never blocking the
     * transport thread (which would stall every session of the connection) nor growing without limit;
     * the report says how many were dropped. A verified reply is about 1-2 KB decoded, so a full inbox
     * is around 100 MB at worst in practice.
     */
    public static final int MAX_CLI_INBOX_MESSAGES = 65_536;

    /**
     * Bytes of message bodies one CLI inbox holds (the body's size in characters, as the message came):
     * 64 MiB. {@link #MAX_CLI_INBOX_MESSAGES} alone would let signed 256 KiB replies or events take 16 GiB;
     * this is room for 256 of the largest messages and for a whole fleet's ordinary ones (a few KB each).
     */
    public static final long MAX_CLI_INBOX_BYTES = 64L * 1024 * 1024;

    /**
     * Verified events of one node a run queues: 100. A reboot makes a node publish three or four
     * ({@code rebooting}, {@code started}, {@code rebooted}), so this leaves room for restarts and other
     * operators' runs during a long rollout, while one node publishing without end (at most 100 of the
     * largest events, 25 MiB) cannot fill the inbox the other nodes' events wait in. {@code orch watch},
     * which prints as it reads, has no such cap.
     */
    public static final int MAX_CLI_EVENTS_PER_NODE = 100;

    /**
     * Messages the broker sends the CLI's consumers (a request's reply queue, the events topic) ahead of
     * its acknowledgements: 256, where ActiveMQ's defaults are 1,000 for queues and 32,766 for topics. It
     * bounds what sits in the client's buffers before {@link #MAX_CLI_INBOX_MESSAGES} applies (at most
     * 256 × {@link Limits#MAX_FRAME_BYTES} per consumer); with acknowledgements every 128 messages the
     * broker still streams 10,000 replies without pause.
     */
    public static final int CLI_PREFETCH = 256;

    /**
     * Threads that decode and check the signatures of replies in the CLI: at most 4, one per core. A reply's
     * signature check (and its decoding under the CLI's client compiler) is most of what the CLI does per
     * answer; on one thread, 10,000 answers queue up behind it.
     */
    public static final int MAX_CLI_REPLY_CHECKERS = 4;

    /**
     * How often a node reads its state for its metrics ({@code metrics.interval_s}) unless told otherwise: every
     * 60 s, as often as Prometheus usually scrapes. Each read runs the pending detectors once.
     */
    public static final int METRICS_DEFAULT_INTERVAL_S = 60;

    /**
     * The shortest {@code metrics.interval_s} a node takes: 10 s. Each read runs the pending detectors, which
     * may run a command (the sentinel); a node must not spend its time on its own monitoring.
     */
    public static final int METRICS_MIN_INTERVAL_S = 10;

    /** The longest {@code metrics.interval_s}: an hour, so that a stale file still says the responder is gone. */
    public static final int METRICS_MAX_INTERVAL_S = 3600;

    /**
     * How long {@code --notify} waits for the webhook to take a run's summary: 10 s from the start of the post
     * to the answer, connection and TLS included. Past it the post is given up with a warning; the run's exit
     * code never depends on it, and a change-window job is not held up by a slow chat server.
     */
    public static final int NOTIFY_TIMEOUT_MS = 10_000;

    /**
     * Characters of the {@code text} that {@code --notify} posts: 3,000, where Slack cuts a message at 40,000
     * and shows far less. A summary line naming thousands of nodes that did not answer is cut with the count of
     * the rest; the whole list stays in the report ({@code --report-file}).
     */
    public static final int MAX_NOTIFY_TEXT_CHARS = 3_000;

    /**
     * Characters of reply bodies of one request handed to the checkers and not yet checked: 8 Mi (16 MiB as
     * Java strings at worst). When that much waits, the JMS thread waits and the broker holds the rest. This
     * comes on top of the prefetch ({@link #CLI_PREFETCH} messages) and the inbox ({@link #MAX_CLI_INBOX_BYTES}):
     * a node that sends the largest messages it may cannot take more than this from the CLI's memory here.
     */
    public static final int CLI_REPLY_CHECK_CHARS = 8 * 1024 * 1024;

    /**
     * How long a request's reply channel, closing, waits for the replies still being checked: 10 s. They are
     * checked in milliseconds; the bound only keeps a CLI from hanging on a bug.
     */
    public static final long CLI_REPLY_CHECK_CLOSE_WAIT_MS = 10_000;

    /**
     * How long a command waits for the head start (class loading on a second thread at start) before doing the
     * work itself: 3 s, where the head start takes a few hundred milliseconds; a host name lookup that hangs
     * (ActiveMQ puts the host name in its ids) must not hold the command past it.
     */
    public static final long CLI_HEAD_START_WAIT_MS = 3_000;

    /**
     * Most nodes the CLI asks one by one, each on its own topic, when they are known by name ({@code -I}
     * identities, {@code --nodes}): 200. Each costs a signature and a send; in a lab of 500 the two
     * ways were even at 200 named nodes and one broadcast was twice as fast at 500 (docs/benchmarks.md),
     * so past this the request is broadcast, and discovery still waits for exactly the named nodes.
     */
    public static final int MAX_DIRECT_DISCOVERY = 200;

    /**
     * Messages the broker sends ahead to the CLI's registry consumer (the retained announcements it reads
     * at the start of a run): 65,536. The broker hands over the latest announcement of every node at once
     * when the consumer subscribes; past the prefetch it would queue them behind
     * {@link #MAX_BROKER_TOPIC_PENDING} and drop the oldest, so the prefetch has room for the whole fleet
     * (10,000 nodes and more) and {@link #MAX_CLI_INVENTORY_NODES} bounds what the CLI keeps.
     */
    public static final int CLI_REGISTRY_PREFETCH = 65_536;

    /**
     * How long the CLI waits for its own marker to come back on the registry topics, in milliseconds: 2,000.
     * Everything the broker retained arrives before it; a broker that keeps no announcements, or an old one,
     * still returns it at once. When it does not come back (the broker refuses the marker), the run goes on
     * with this host's record of known nodes and says so.
     */
    public static final int CLI_REGISTRY_BARRIER_MS = 2_000;

    /**
     * Known nodes the CLI keeps for one collective on one broker (announcements read from the bus, and
     * entries of its record in the state folder): 65,536. Nodes can write any registry topic, so an owned
     * node could announce made-up identities without end; past the bound the rest are dropped and counted.
     */
    public static final int MAX_CLI_INVENTORY_NODES = 65_536;

    /**
     * Failed-verification and unreadable-message notes a run keeps for its report: 1,000. A forger can
     * send without end; the report lists the first ones and counts the rest.
     */
    public static final int MAX_CLI_NOTES = 1000;

    // --- CLI agent: the resident client on a private local socket ---

    /**
     * Largest request a CLI hands to its agent, in bytes (arguments, environment, working folder): 1 MiB.
     * A command line and an environment are a few KiB; a larger request is not forwarded, and the CLI runs
     * the command itself.
     */
    public static final int AGENT_MAX_REQUEST_BYTES = 1024 * 1024;
    /**
     * Commands one agent runs at once: 8. An operator's shell and a few scripts; one more is told to run
     * itself (in its own JVM, as without an agent), so a busy agent never makes a command wait.
     */
    public static final int AGENT_MAX_COMMANDS = 8;
    /**
     * How long a CLI waits for its agent to take a command, in milliseconds: 2,000. A warm agent answers in
     * a millisecond or two; one that is stopped (SIGSTOP) or stuck is passed by, and the CLI runs the
     * command itself.
     */
    public static final int AGENT_ACCEPT_WAIT_MS = 2_000;
    /**
     * How long an agent waits for a connected peer to send its whole request, in milliseconds: 5,000.
     * A CLI sends it at once; a peer that connects and stays silent must not hold a thread.
     */
    public static final int AGENT_REQUEST_READ_MS = 5_000;
    /**
     * How often an agent tells a CLI whose command it runs that it is still there, in milliseconds: 1,000.
     * A command may print nothing for minutes (discovery, {@code --json}); the beat tells a live agent
     * from a frozen one.
     */
    public static final int AGENT_HEARTBEAT_MS = 1_000;
    /**
     * How long a CLI waits without a beat or output from the agent running its command, in milliseconds:
     * 10,000 (ten beats). Then it says the agent stopped answering and exits 70, never hangs.
     */
    public static final int AGENT_SILENCE_MS = 10_000;
    /** Largest chunk of output in one frame, in bytes: 8 KiB, what the agent buffers before it sends. */
    public static final int AGENT_CHUNK_BYTES = 8 * 1024;
    /** Connections an agent's socket queues before it accepts them: 64, eight times the commands it runs. */
    public static final int AGENT_ACCEPT_BACKLOG = 64;
    /** How long {@code orch agent start} waits for the new agent to answer, in milliseconds: 20,000 (a cold JVM). */
    public static final int AGENT_START_WAIT_MS = 20_000;
}
