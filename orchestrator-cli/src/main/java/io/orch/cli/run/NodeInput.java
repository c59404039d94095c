package io.orch.cli.run;

import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.Reply;

/** What can happen to a node during a batch; each is a value, times included, so progress is a pure function. */
sealed interface NodeInput {
    /** Its reply to the batch's request. @param duplicate more than one responder answered as this identity */
    record ReplyReceived(NodeReply reply, boolean duplicate) implements NodeInput {
    }

    /**
     * An event of the collective about this node.
     *
     * @param sinceBatchMs when it arrived, from the batch's request
     * @param sinceRunMs   when it arrived, from the start of the run
     */
    record EventReceived(Event event, long sinceBatchMs, long sinceRunMs) implements NodeInput {
    }

    /**
     * Its answer to the status probe sent when it was not seen back in time.
     *
     * @param reply        null when it did not answer
     * @param sinceBatchMs when the answer was taken in, from the batch's request
     */
    record ProbeAnswered(Reply reply, long sinceBatchMs) implements NodeInput {
    }

    /**
     * Its answer to a status probe sent while it is still awaited, after a quiet spell with no news of
     * it: only a new boot id counts (its {@code rebooted} event went astray, say across a network
     * bridge that was down); anything else leaves it awaited.
     *
     * @param reply        null when it did not answer
     * @param sinceBatchMs when the answer was taken in, from the batch's request
     */
    record EarlyProbeAnswered(Reply reply, long sinceBatchMs) implements NodeInput {
    }

    /** The time to wait for its reply is over (replies are collected until then). */
    record DeadlinePassed() implements NodeInput {
    }

    /** Ctrl-C: the run stops waiting for it. */
    record Interrupted() implements NodeInput {
    }

    /** The broker went away during its batch. */
    record BrokerLost() implements NodeInput {
    }
}
