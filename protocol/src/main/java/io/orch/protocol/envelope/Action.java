package io.orch.protocol.envelope;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a request asks a node to do. The set is closed: a node answers anything else {@code invalid}. */
public enum Action {
    /** Liveness: answer with identity and boot id, nothing else. */
    PING,
    /** Say whether this node matches the filter; the first phase of every run. */
    DISCOVER,
    /** Pending state, reasons and the facts asked for. */
    STATUS,
    /** The transient reboot resource with {@code when => pending}. */
    REBOOT,
    /** Stop a scheduled reboot that is still in its delay. */
    CANCEL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Action> fromWire(String name) {
        return Arrays.stream(values()).filter(a -> a.wireName().equals(name)).findFirst();
    }
}
