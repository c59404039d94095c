package io.orch.protocol.envelope;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Node lifecycle events published on {@code <collective>.events}. */
public enum EventType {
    STARTED,
    REBOOTING,
    REBOOTED,
    CANCELLED,
    /** A promised reboot could not be carried out; data.error says why. */
    REBOOT_FAILED,
    /** After start: a reboot was promised but the boot id did not change (crash or stop first). */
    REBOOT_INTERRUPTED,
    ANNOUNCE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<EventType> fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName().equals(name)).findFirst();
    }
}
