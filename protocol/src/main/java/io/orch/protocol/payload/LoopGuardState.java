package io.orch.protocol.payload;

import java.util.Objects;
import java.util.Optional;

/**
 * What the loop guard would say to a pending-reboot now ({@code data.loop_guard} of a status reply).
 *
 * @param message the text a refused {@code reboot} would get; null exactly when {@code state} is {@code clear}
 */
public record LoopGuardState(State state, String message) {
    public static final LoopGuardState CLEAR = new LoopGuardState(State.CLEAR, null);

    public enum State {
        /** Nothing stands in the way of a pending-reboot. */
        CLEAR,
        /** The same reasons were still pending right after the last reboot orch made. */
        LOOP_SUSPECTED,
        /** The last reboot orch made is more recent than {@code reboot.min_interval_s}. */
        MIN_INTERVAL,
        /** The journal cannot be read, so pending-reboots are refused. */
        UNKNOWN;

        public String wireName() {
            return Copies.wire(this);
        }

        public static Optional<State> fromWire(String name) {
            return Copies.fromWire(State.class, name);
        }
    }

    public LoopGuardState {
        Objects.requireNonNull(state, "state == null");
        if ((state == State.CLEAR) != (message == null)) {
            throw new IllegalArgumentException("state " + state.wireName() + " with message " + message);
        }
    }

    public boolean refuses() {
        return state != State.CLEAR;
    }
}
