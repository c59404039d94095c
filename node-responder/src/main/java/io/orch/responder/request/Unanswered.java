package io.orch.responder.request;

import java.util.Objects;

/**
 * Why a message gets no reply at all. Answering it would be unsafe (a reply to a topic reaches
 * every subscriber) or pointless (nobody waits for it), so the node neither answers nor acts.
 *
 * @param kind what sort of message it is: the log's budget for dropped messages is per kind
 * @param why  in words, for the log and the audit
 */
public record Unanswered(Kind kind, String why) {

    /** The sorts of messages a node drops unanswered. */
    public enum Kind {
        /** A request without a reply destination. */
        NO_REPLY_TO,
        /** A request whose reply destination is a topic, a plain queue or a temporary topic. */
        NOT_A_TEMPORARY_QUEUE,
        /** A reply or an event on a request topic: never a node's business, and answering could loop. */
        NOT_A_REQUEST
    }

    public Unanswered {
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(why, "why == null");
    }
}
