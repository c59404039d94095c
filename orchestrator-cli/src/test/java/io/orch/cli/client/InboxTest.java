package io.orch.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.protocol.Limits;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InboxTest {
    @Test
    void aFullInboxDropsAndCountsWithoutBlockingAndSignalsStillGetIn() {
        AtomicLong dropped = new AtomicLong();
        Inbox inbox = new Inbox(3, Long.MAX_VALUE, dropped);

        for (int i = 0; i < 3; i++) {
            assertTrue(inbox.offer(new Inbound.Unreadable("reply " + i), 10));
        }
        assertFalse(inbox.offer(new Inbound.Unreadable("one too many"), 10), "full: dropped, not queued");
        assertFalse(inbox.offer(new Inbound.Unreadable("and another"), 10));
        inbox.signal(Inbound.Signal.BROKER_LOST);

        assertEquals(2, dropped.get());
        assertEquals("reply 0", ((Inbound.Unreadable) inbox.poll()).why(), "arrival order kept");
        assertTrue(inbox.offer(new Inbound.Unreadable("room again"), 10), "taking one makes room for one");
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
        Inbox inbox = new Inbox(1, 100, dropped);

        inbox.signal(Inbound.Signal.STOPPED);
        inbox.offer(Inbound.Signal.BROKER_LOST, 1_000);

        assertTrue(inbox.offer(new Inbound.Unreadable("the one message"), 100));
        assertEquals(0, dropped.get());
    }

    /** Few large messages fill it long before the count does, and what is taken out gives its bytes back. */
    @Test
    void theByteBoundDropsAndCountsWhatWouldGoOverItAndTakingGivesTheBytesBack() {
        AtomicLong dropped = new AtomicLong();
        Inbox inbox = new Inbox(1_000, 1_000, dropped);

        assertTrue(inbox.offer(new Inbound.Unreadable("big 1"), 600));
        assertFalse(inbox.offer(new Inbound.Unreadable("big 2"), 600), "600 more would make 1200 of 1000");
        assertTrue(inbox.offer(new Inbound.Unreadable("small"), 400), "exactly full is still within");
        assertFalse(inbox.offer(new Inbound.Unreadable("one byte"), 1));
        assertFalse(inbox.offer(new Inbound.Unreadable("too big alone"), 1_001));
        inbox.signal(Inbound.Signal.STOPPED);
        assertEquals(3, dropped.get());

        assertEquals("big 1", ((Inbound.Unreadable) inbox.poll()).why());
        assertTrue(inbox.offer(new Inbound.Unreadable("big 3"), 600), "big 1's 600 bytes are free again");
        assertFalse(inbox.offer(new Inbound.Unreadable("one byte"), 1));
        assertEquals("small", ((Inbound.Unreadable) inbox.poll()).why());
        assertSame(Inbound.Signal.STOPPED, inbox.poll());
        assertEquals("big 3", ((Inbound.Unreadable) inbox.poll()).why());
        assertNull(inbox.poll());
        assertTrue(inbox.offer(new Inbound.Unreadable("whole again"), 1_000), "an empty inbox holds its whole budget");
        assertEquals(4, dropped.get());
    }

    @Test
    void theDefaultInboxIsBoundedByTheNamedLimits() {
        AtomicLong dropped = new AtomicLong();
        Inbox inbox = new Inbox(dropped);
        long largest = Limits.MAX_BODY_BYTES;
        long fits = Limits.MAX_CLI_INBOX_BYTES / largest;
        for (long i = 0; i < fits; i++) {
            assertTrue(inbox.offer(new Inbound.Unreadable("largest " + i), largest));
        }
        assertFalse(inbox.offer(new Inbound.Unreadable("one more of the largest"), largest),
                "the bytes bound, far below " + Limits.MAX_CLI_INBOX_MESSAGES + " messages");
        assertEquals(1, dropped.get());
    }
}
