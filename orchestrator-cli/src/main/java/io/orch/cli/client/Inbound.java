package io.orch.cli.client;

import io.orch.cli.run.EventFeed;
import io.orch.protocol.envelope.Reply;

/** What lands in an inbox of the JMS client: a reply, an event, something unreadable, or a signal. */
sealed interface Inbound {
    record ReplyArrived(Reply reply) implements Inbound {
    }

    record EventArrived(EventFeed.Received received) implements Inbound {
    }

    /**
     * {@code node} answered this reply queue's request again: the answer itself is not kept (one node must
     * not fill an inbox), only the fact, which means two responders share its identity.
     */
    record DuplicateReply(String node) implements Inbound {
    }

    /** A message that could not be decoded, and why. */
    record Unreadable(String why) implements Inbound {
    }

    enum Signal implements Inbound {
        /** Put in every inbox by a stop, so whatever is waiting returns what it has at once. */
        STOPPED,
        /** Put in every inbox when the connection fails, so a waiting loop stops instead of waiting out its time. */
        BROKER_LOST
    }
}
