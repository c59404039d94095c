package io.orch.responder.request;

import java.util.Objects;

/**
 * What only the transport knows about a message: the facts the gate's rules need beside the
 * request itself.
 *
 * @param correlationId the transport's correlation id, which answers a request whose id cannot be read
 * @param direct        true when the message came on the node's own destination, false for the broadcast
 * @param replyTo       what kind of destination the reply would go to
 * @param replyToName   the reply destination's name, which a signed request must name; null with none
 */
public record Delivery(String correlationId, boolean direct, ReplyTo replyTo, String replyToName) {

    /** Where the requester wants the reply. */
    public enum ReplyTo {
        /** No reply destination: nobody could learn what the node did. */
        NONE,
        /** A temporary queue, which exists only while the requester waits. */
        TEMPORARY_QUEUE,
        /** A topic or a plain queue: it "confirms" with nobody listening, or keeps a reply after the requester left. */
        OTHER
    }

    public Delivery {
        Objects.requireNonNull(replyTo, "replyTo == null");
    }

    /** A delivery whose reply destination has no name to compare (tests of rules that do not look at it). */
    public Delivery(String correlationId, boolean direct, ReplyTo replyTo) {
        this(correlationId, direct, replyTo, null);
    }
}
