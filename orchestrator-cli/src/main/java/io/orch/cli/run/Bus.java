package io.orch.cli.run;

import io.orch.protocol.envelope.Request;
import java.time.Duration;
import java.util.Collection;

/**
 * The run's way onto the bus, and all it needs of it. The JMS client implements it for real; a
 * test fake implements it in memory. Times a bus reports ({@link NodeReply#after()},
 * {@link EventFeed.Received#nanos()}) are on the same clock as the run's {@link RunClock}.
 */
public interface Bus extends AutoCloseable {
    /**
     * Sends {@code request} to every node by broadcast, or to each of {@link Discovery#addressed()} on its own
     * topic, and collects replies until {@code discovery} says stop. A reply from a node not addressed does
     * not count. Its {@link Collected#missing()} are the nodes of {@link Discovery#inventory()} that did not answer.
     */
    Collected discover(Request request, Discovery discovery) throws InterruptedException, BrokerUnreachableException;

    /**
     * Sends {@code request} to each of {@code nodes} on its own topic and waits for exactly those,
     * at most {@code timeout}. Once stopped, nothing more is sent ({@link Collected#sent()} is false).
     * For an action that changes nodes, a stop does not cut collecting short: the replies decide who acts.
     *
     * @throws BrokerUnreachableException when the broker is lost; its {@link BrokerUnreachableException#partial()}
     *                                    holds the replies so far and whether the request went out
     */
    Collected direct(Request request, Collection<String> nodes, Duration timeout)
            throws InterruptedException, BrokerUnreachableException;

    /**
     * The latest announcement of every node the broker holds for the collective, read at once: subscribe
     * to the registry retroactively, publish a marker of this call's own, and take everything that comes
     * before it. Waits at most {@code wait} for the marker; without it the result says why in its note.
     */
    Registry registry(Duration wait) throws InterruptedException, BrokerUnreachableException;

    /** Starts collecting the collective's events now, so none published from here on is missed. */
    EventFeed events() throws BrokerUnreachableException;

    /**
     * Every reply or event that failed verification so far, in arrival order. None of them reached
     * {@link #discover}, {@link #direct} or {@link #events}: they never count for a node.
     */
    default java.util.List<Unverified> unverified() {
        return java.util.List.of();
    }

    /**
     * Messages received so far but not kept: an inbox between the transport and the run was full
     * ({@link io.orch.protocol.Limits#MAX_CLI_INBOX_MESSAGES}), or past the unverified and unreadable ones a
     * report keeps ({@link io.orch.protocol.Limits#MAX_CLI_NOTES}).
     */
    default long dropped() {
        return 0;
    }

    /** Makes every wait end now with what it has, and every later one at once; nothing new is sent. */
    void stop();

    boolean stopped();

    /** Never fails. */
    @Override
    void close();
}
