package io.orch.responder.registry;

import io.orch.protocol.envelope.Announcement;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.SecureEnvelope;
import io.orch.responder.request.RateLimitedLog;
import io.orch.trust.Sealer;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one node's announcements: {@code up} at start, every interval (a tenth longer or shorter at
 * random, so a fleet started together drifts apart) and after the bus comes back; {@code rebooting} or
 * {@code stopped} as it stops, after which it says nothing more. Everything but the last one is signed
 * and sent on the {@link AnnounceTimer}'s thread: a request never waits for an announcement, and a failed
 * one is logged at most once a minute.
 */
public final class Announcer {
    private static final Logger log = LoggerFactory.getLogger(Announcer.class);
    /** Each interval is up to this fraction longer or shorter than configured. */
    static final double JITTER = 0.1;

    /** Where a sealed announcement goes: the node's registry topic. */
    @FunctionalInterface
    public interface Channel {
        /** @return whether the message left */
        boolean send(String envelope);
    }

    private final Announcement base;
    private final Presence presence;
    private final Sealer sealer;
    private final Codec codec;
    private final Channel channel;
    private final Clock clock;
    private final RateLimitedLog failures;
    /** Guards the order on the wire: once the last word is said, no {@code up} follows it. */
    private final Object sending = new Object();
    /** Written under {@link #sending}; read without it by {@link #silence}, which must never wait for a send. */
    private volatile Future<?> next;
    private volatile boolean stopped;

    /**
     * @param identity the node (its certificate's name)
     * @param bootId   this boot's id; one an announcement cannot carry is left out
     */
    public Announcer(String identity, String bootId, Presence presence, Sealer sealer, Codec codec, Channel channel,
                     Clock clock) {
        this.presence = Objects.requireNonNull(presence, "presence == null");
        this.sealer = Objects.requireNonNull(sealer, "sealer == null");
        this.codec = Objects.requireNonNull(codec, "codec == null");
        this.channel = Objects.requireNonNull(channel, "channel == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.failures = new RateLimitedLog(log, 1, clock);
        int interval = (int) presence.interval().toSeconds();
        Announcement made;
        try {
            made = new Announcement(identity, bootId, clock.instant(), Announcement.State.UP, presence.version(),
                    interval, presence.startedAt());
        } catch (IllegalArgumentException e) {
            log.warn("node {}: announcing without a boot id: {}", identity, e.getMessage());
            made = new Announcement(identity, "", clock.instant(), Announcement.State.UP, presence.version(),
                    interval, presence.startedAt());
        }
        this.base = made;
    }

    /** Announces {@code up} now, and then every interval; call once the node is subscribed. */
    public void start() {
        synchronized (sending) {
            if (!stopped && next == null) {
                next = presence.timer().after(Duration.ZERO, this::tick);
            }
        }
    }

    /** The bus is back after an outage (the broker may have restarted and forgotten): {@code up} again now. */
    public void resumed() {
        presence.timer().after(Duration.ZERO, () -> announce(Announcement.State.UP));
    }

    /**
     * Says the last word on the caller's thread and stops the timer: {@code rebooting} when a reboot handed
     * to the OS is under way, else {@code stopped}. Call before the session closes.
     */
    public void stop(Announcement.State last) {
        if (last == Announcement.State.UP) {
            throw new IllegalArgumentException("a node stops as rebooting or stopped, not up");
        }
        synchronized (sending) {
            if (stopped) {
                return;
            }
            if (next != null) {
                next.cancel(false);
            }
            send(last);
            stopped = true;
        }
    }

    /**
     * Stops without a last word, as a node that vanished: the timer ends and nothing more is sent. It does not
     * wait for {@link #sending}: a send stuck on a lost broker holds it, and a stopping node must not wait for
     * that. A tick that was already past its check may schedule one more wake-up, which then sends nothing.
     */
    public void silence() {
        stopped = true;
        Future<?> scheduled = next;
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }

    private void tick() {
        announce(Announcement.State.UP);
        synchronized (sending) {
            if (!stopped) {
                next = presence.timer().after(jittered(), this::tick);
            }
        }
    }

    /** The interval, up to {@link #JITTER} of it longer or shorter. */
    Duration jittered() {
        long ms = presence.interval().toMillis();
        long spread = (long) (ms * JITTER);
        return Duration.ofMillis(ms - spread + presence.random().nextLong(2 * spread + 1));
    }

    private void announce(Announcement.State state) {
        synchronized (sending) {
            if (!stopped) {
                send(state);
            }
        }
    }

    /** Call holding {@link #sending}. Never throws: an announcement must not take anything down with it. */
    private void send(Announcement.State state) {
        Announcement announcement = base.as(state, clock.instant());
        boolean sent;
        try {
            sent = channel.send(sealer.seal(SecureEnvelope.Kind.ANNOUNCEMENT, codec.encode(announcement)));
        } catch (RuntimeException e) {
            sent = false;
            log.debug("announcement failed", e);
        }
        if (!sent) {
            failures.warn("announce", "node {}: could not announce '{}' on the registry topic (such failures are "
                    + "logged at most once a minute)", announcement.node(), state.wireName());
        }
    }
}
