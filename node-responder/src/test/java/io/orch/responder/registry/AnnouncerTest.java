package io.orch.responder.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.protocol.envelope.Announcement;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.SecureEnvelope;
import io.orch.responder.LogCapture;
import io.orch.responder.TestClock;
import io.orch.trust.Sealer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The announcer's rules, over a channel that records or fails (the bus itself is in
 * AnnouncementsOverBrokerTest): when it speaks, in what order, and that a failure costs one log line
 * a minute and nothing else.
 */
class AnnouncerTest {
    private static final Instant START = Instant.parse("2026-12-01T05:00:00Z");

    private final TestClock clock = new TestClock(START);
    private final ManualTimer timer = new ManualTimer();
    private final Codec codec = new Codec();
    private final List<Announcement> sent = new ArrayList<>();
    private volatile boolean failing;

    private Announcer announcer(Duration interval, String bootId) {
        Presence presence = new Presence(interval, Presence.VERSION, START, timer, new SplittableRandom(7));
        return new Announcer("web01", bootId, presence, Sealer.unsigned(codec), codec, json -> {
            if (failing) {
                return false;
            }
            try {
                sent.add(codec.decodeAnnouncement(codec.decodeEnvelope(json, SecureEnvelope.Kind.ANNOUNCEMENT).body()));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return true;
        }, clock);
    }

    private List<Announcement.State> states() {
        return sent.stream().map(Announcement::state).toList();
    }

    @Test
    void upAtOnceThenEveryIntervalATenthEarlierOrLaterAtRandom() {
        Announcer a = announcer(Duration.ofMinutes(10), "b1");
        a.start();
        assertEquals(Duration.ZERO, timer.waiting().get(0).delay());
        Set<Duration> delays = new HashSet<>();
        Instant lastSent = null;
        for (int i = 0; i < 50; i++) {
            lastSent = clock.instant();
            timer.runNext();
            Duration next = timer.waiting().get(0).delay();
            assertTrue(next.compareTo(Duration.ofSeconds(540)) >= 0 && next.compareTo(Duration.ofSeconds(660)) <= 0,
                    next.toString());
            delays.add(next);
            clock.advance(next);
        }
        assertEquals(50, sent.size());
        assertTrue(delays.size() > 40, "the jitter varies: " + delays);
        Announcement last = sent.get(49);
        assertEquals(new Announcement("web01", "b1", lastSent, Announcement.State.UP, Presence.VERSION, 600,
                START), last);
        assertEquals(1, timer.waiting().size(), "one tick waiting at a time");
    }

    @Test
    void stopSaysTheLastWordOnceAndCancelsTheTick() {
        Announcer a = announcer(Duration.ofMinutes(10), "b1");
        a.start();
        timer.runNext();
        a.stop(Announcement.State.REBOOTING);
        a.stop(Announcement.State.STOPPED);
        a.resumed();
        assertEquals(List.of(Announcement.State.UP, Announcement.State.REBOOTING), states());
        while (!timer.waiting().isEmpty()) {
            timer.runNext(); // a resume after the stop finds nothing to do
        }
        assertTrue(timer.all().stream().anyMatch(ManualTimer.Task::cancelled), "the periodic tick was cancelled");
        assertEquals(List.of(Announcement.State.UP, Announcement.State.REBOOTING), states());
    }

    @Test
    void aNodeThatVanishesSaysNothingMore() {
        Announcer a = announcer(Duration.ofMinutes(10), "b1");
        a.start();
        timer.runNext();
        a.silence();
        a.resumed();
        while (!timer.waiting().isEmpty()) {
            timer.runNext();
        }
        assertEquals(List.of(Announcement.State.UP), states());
    }

    @Test
    void aReturnAfterAnOutageAnnouncesUpAgainWithoutTouchingThePeriod() {
        Announcer a = announcer(Duration.ofMinutes(10), "b1");
        a.start();
        timer.runNext();
        a.resumed();
        assertEquals(2, timer.waiting().size());
        assertEquals(Duration.ZERO, timer.waiting().get(1).delay());
        timer.waiting().get(1).body().run();
        assertEquals(List.of(Announcement.State.UP, Announcement.State.UP), states());
    }

    @Test
    void failedAnnouncementsAreLoggedOnceAMinuteAndNeverThrow() {
        LogCapture capture = LogCapture.of(Announcer.class);
        capture.clear();
        Announcer a = announcer(Duration.ofMinutes(1), "b1");
        failing = true;
        a.start();
        for (int i = 0; i < 5; i++) {
            timer.runNext();
            a.resumed();
            timer.runNext();
            clock.advance(Duration.ofSeconds(10));
        }
        assertEquals(1, capture.lines().stream().filter(l -> l.startsWith("WARN ") && l.contains("could not announce"))
                .count(), capture.lines().toString());
        clock.advance(Duration.ofMinutes(1));
        timer.runNext();
        assertTrue(capture.contains("WARN", "not logged one by one"), capture.lines().toString());
        assertEquals(2, capture.lines().stream().filter(l -> l.contains("could not announce")).count());
        failing = false;
        a.stop(Announcement.State.STOPPED);
        assertEquals(List.of(Announcement.State.STOPPED), states());
    }

    @Test
    void aChannelThatThrowsIsAFailedAnnouncementNotACrash() {
        Presence presence = new Presence(Duration.ofMinutes(10), Presence.VERSION, START, timer, new SplittableRandom());
        Announcer a = new Announcer("web01", "b1", presence, Sealer.unsigned(codec), codec, json -> {
            throw new IllegalStateException("session closed");
        }, clock);
        a.start();
        timer.runNext();
        a.stop(Announcement.State.STOPPED);
        assertEquals(0, sent.size());
    }

    @Test
    void aBootIdAnAnnouncementCannotCarryIsLeftOut() {
        Announcer a = announcer(Duration.ofMinutes(10), "not a boot id\u001b[2J");
        a.start();
        timer.runNext();
        assertEquals("", sent.get(0).bootId());
    }

    @Test
    void intervalsOutsideAMinuteToADayAreRefused() {
        assertEquals("registry.interval_s must be between 60 and 86400 (a minute to a day), got 59",
                Presence.intervalProblem(59));
        assertEquals(null, Presence.intervalProblem(600));
        assertThrows(IllegalArgumentException.class, () -> new Presence(Duration.ofDays(2), Presence.VERSION, START,
                timer, new SplittableRandom()));
        assertThrows(IllegalArgumentException.class, () -> announcer(Duration.ofMinutes(10), "b1")
                .stop(Announcement.State.UP));
    }
}
