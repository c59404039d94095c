package io.orch.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InboxTest {
    @Test
    void aFullInboxDropsAndCountsWithoutBlockingAndSignalsStillGetIn() {
        AtomicLong dropped = new AtomicLong();
        Inbox inbox = new Inbox(3, dropped);

        for (int i = 0; i < 3; i++) {
            assertTrue(inbox.offer(new Inbound.Unreadable("reply " + i)));
        }
        assertFalse(inbox.offer(new Inbound.Unreadable("one too many")), "full: dropped, not queued");
        assertFalse(inbox.offer(new Inbound.Unreadable("and another")));
        inbox.signal(Inbound.Signal.BROKER_LOST);

        assertEquals(2, dropped.get());
        assertEquals("reply 0", ((Inbound.Unreadable) inbox.poll()).why(), "arrival order kept");
        assertTrue(inbox.offer(new Inbound.Unreadable("room again")), "taking one makes room for one");
        assertEquals("reply 1", ((Inbound.Unreadable) inbox.poll()).why());
        assertEquals("reply 2", ((Inbound.Unreadable) inbox.poll()).why());
        assertSame(Inbound.Signal.BROKER_LOST, inbox.poll(), "the signal after what came before it");
        assertEquals("room again", ((Inbound.Unreadable) inbox.poll()).why());
        assertNull(inbox.poll());
        assertEquals(2, dropped.get());
    }

    @Test
    void signalsNeverTakeTheRoomOfMessages() {
        AtomicLong dropped = new AtomicLong();
        Inbox inbox = new Inbox(1, dropped);

        inbox.signal(Inbound.Signal.STOPPED);
        inbox.offer(Inbound.Signal.BROKER_LOST);

        assertTrue(inbox.offer(new Inbound.Unreadable("the one message")));
        assertEquals(0, dropped.get());
    }
}
