package io.orch.cli.client;

import io.orch.cli.run.BrokerUnreachableException;
import io.orch.cli.run.EventFeed;
import jakarta.jms.JMSException;

/** The collective's events from a JMS subscription, through an inbox the subscription fills. */
final class JmsEventFeed implements EventFeed {
    interface Closer {
        void close() throws JMSException;
    }

    private final Inbox inbox;
    private final Closer closer;
    private boolean stopped;

    JmsEventFeed(Inbox inbox, Closer closer) {
        this.inbox = inbox;
        this.closer = closer;
    }

    @Override
    public Polled poll(long nanos) throws InterruptedException, BrokerUnreachableException {
        if (stopped) {
            return Poll.STOPPED;
        }
        Inbound item = nanos <= 0 ? inbox.poll() : inbox.poll(nanos);
        if (item == null) {
            return Poll.TIMEOUT;
        }
        if (item instanceof Inbound.EventArrived event) {
            return event.received();
        }
        if (item == Inbound.Signal.STOPPED) {
            stopped = true;
            return Poll.STOPPED;
        }
        if (item == Inbound.Signal.BROKER_LOST) {
            throw new BrokerUnreachableException("lost the broker while listening for node events; reboots already "
                    + "scheduled still happen (check with orch status)");
        }
        return Poll.TIMEOUT; // not ours to report
    }

    @Override
    public void close() {
        try {
            closer.close();
        } catch (JMSException | RuntimeException e) {
            // the session goes with the connection anyway
        }
    }
}
