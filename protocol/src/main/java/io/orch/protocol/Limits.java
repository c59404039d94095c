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

    /**
     * Largest OpenWire frame a client or broker of orch reads or writes ({@code wireFormat.maxFrameSize}):
     * 1 MiB. The transport refuses a larger frame from its size prefix, before reading the body, and
     * closes that one connection; so no node ever holds a flood message in memory. The arithmetic: a
     * whole message body, signed envelope and certificate chain included, is at most
     * {@link io.orch.protocol.envelope.Codec#MAX_BODY_BYTES} (256 KiB) of UTF-8; OpenWire carries text
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
     * the rest waits at the broker, where {@link #BROKER_TOPIC_PENDING_LIMIT} bounds it. Requests come a
     * few a minute, and with acknowledgements every second message a node still takes hundreds a second.
     */
    public static final int NODE_TOPIC_PREFETCH = 4;

    /**
     * Messages the broker keeps waiting for one slow consumer of a non-durable topic before it drops the
     * oldest ({@code constantPendingMessageLimitStrategy} on {@code orch broker} and the shipped
     * {@code activemq.xml}): 1,000. A node that cannot keep up with a flood loses old requests (they
     * carry a TTL and would be refused as expired anyway) instead of the broker holding them without bound.
     */
    public static final int BROKER_TOPIC_PENDING_LIMIT = 1000;

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
    public static final int SEND_WHILE_DISCONNECTED_MS = 10_000;

    /**
     * Connection attempts {@code orch lab} makes at start before it reports the broker unreachable
     * ({@code startupMaxReconnectAttempts}); once connected it reconnects for ever, as nodes do.
     */
    public static final int LAB_STARTUP_CONNECT_ATTEMPTS = 3;

    // --- Node: rate limits, fact scripts, commands ---

    // --- Audit and state files ---

    // --- CLI: queues and output ---

    /**
     * Replies, events and unreadable-message notes one CLI inbox holds between the JMS delivery thread
     * and the run: 65,536. The run drains as fast as messages arrive; the bound matters only when it
     * cannot keep up, so it is sized for a whole fleet answering at once (10,000 nodes, each reply and a
     * few events) with room to spare. Beyond it a message is dropped and counted, never blocking the
     * transport thread (which would stall every session of the connection) nor growing without limit;
     * the report says how many were dropped. A verified reply is about 1-2 KB decoded, so a full inbox
     * is around 100 MB at worst in practice.
     */
    public static final int CLI_INBOX_CAPACITY = 65_536;

    /**
     * Messages the broker sends the CLI's consumers (a request's reply queue, the events topic) ahead of
     * its acknowledgements: 256, where ActiveMQ's defaults are 1,000 for queues and 32,766 for topics. It
     * bounds what sits in the client's buffers before {@link #CLI_INBOX_CAPACITY} applies (at most
     * 256 × {@link Limits#MAX_FRAME_BYTES} per consumer); with acknowledgements every 128 messages the
     * broker still streams 10,000 replies without pause.
     */
    public static final int CLI_PREFETCH = 256;

    /**
     * Failed-verification and unreadable-message notes a run keeps for its report: 1,000. A forger can
     * send without end; the report lists the first ones and counts the rest.
     */
    public static final int CLI_NOTES_KEPT = 1000;
}
