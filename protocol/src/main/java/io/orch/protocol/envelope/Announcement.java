package io.orch.protocol.envelope;

import io.orch.protocol.Limits;
import io.orch.protocol.bus.Destinations;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A node saying it exists, published on {@code <collective>.registry.<node>}: at start, every
 * {@code intervalSeconds}, after the bus comes back, and as it stops. The broker keeps the latest one of
 * each node (last-image recovery), so a reader learns the known nodes at once; {@code intervalSeconds}
 * lets it judge whether an {@code up} node has gone quiet.
 *
 * @param node            identity, the CN of the certificate the envelope is signed with
 * @param bootId          the boot id at the time ({@code ""} if unknown)
 * @param time            when this announcement was made
 * @param state           what the node is doing
 * @param version         the responder's orch version
 * @param intervalSeconds how often the node announces itself while up
 * @param startedAt       when this responder process started
 */
public record Announcement(
        String node,
        String bootId,
        Instant time,
        State state,
        String version,
        int intervalSeconds,
        Instant startedAt) {

    public static final String PROTOCOL = "orch.announcement.v1";

    private static final String PLAIN = " letters, digits, '.', '_', ':', '+', '{', '}' or '-'";

    /** What an announcing node is doing: a closed set, so a reader can tell "gone for now" from "gone". */
    public enum State {
        /** Serving requests. */
        UP,
        /** Stopping because a reboot it handed to the OS is under way: expected back. */
        REBOOTING,
        /** Stopped cleanly otherwise: not expected until it announces again. */
        STOPPED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<State> fromWire(String name) {
            return Arrays.stream(values()).filter(s -> s.wireName().equals(name)).findFirst();
        }
    }

    /** Every field within its bound; the codec refuses the same on the way in, naming the field. */
    public Announcement {
        Objects.requireNonNull(node, "node == null");
        Objects.requireNonNull(time, "time == null");
        Objects.requireNonNull(state, "state == null");
        Objects.requireNonNull(version, "version == null");
        Objects.requireNonNull(startedAt, "startedAt == null");
        bootId = bootId == null ? "" : bootId;
        String problem = problem(node, bootId, version, intervalSeconds);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** A copy in another state, made now: the same node, boot, version and interval. */
    public Announcement as(State newState, Instant now) {
        return new Announcement(node, bootId, now, newState, version, intervalSeconds, startedAt);
    }

    /** Why these fields cannot be announced, or null when they can. */
    static String problem(String node, String bootId, String version, int intervalSeconds) {
        String identity = Destinations.identityProblem(node);
        if (identity != null) {
            return "announcement field 'node': " + identity;
        }
        if (bootId.length() > Limits.MAX_BOOT_ID_CHARS || !plain(bootId)) {
            return "announcement field 'boot_id' must be at most " + Limits.MAX_BOOT_ID_CHARS
                    + PLAIN;
        }
        if (version.isEmpty() || version.length() > Limits.MAX_VERSION_CHARS || !plain(version)) {
            return "announcement field 'version' must be 1-" + Limits.MAX_VERSION_CHARS
                    + PLAIN;
        }
        if (intervalSeconds < Limits.MIN_ANNOUNCE_INTERVAL_SECONDS
                || intervalSeconds > Limits.MAX_ANNOUNCE_INTERVAL_SECONDS) {
            return "announcement field 'interval_s' must be between " + Limits.MIN_ANNOUNCE_INTERVAL_SECONDS
                    + " and " + Limits.MAX_ANNOUNCE_INTERVAL_SECONDS + ", got " + intervalSeconds;
        }
        return null;
    }

    /** Boot ids and versions are printed in inventories and logs: no spaces, quotes or control characters. */
    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-' || c == '+' || c == '{' || c == '}';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
