package io.orch.responder.policy;

import io.orch.protocol.envelope.Action;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caller asks a node to do, as the policy sees it. A forced reboot is its own action:
 * a rule that allows {@link #REBOOT} does not allow {@link #FORCE}.
 */
public enum PolicyAction {
    PING,
    DISCOVER,
    STATUS,
    /** A reboot when one is pending. */
    REBOOT,
    /** A reboot with nothing pending ({@code force}, {@code when: refreshed}). */
    FORCE,
    /** Stopping a scheduled reboot in its delay. */
    CANCEL;

    /** The name in the policy file and in messages: {@code ping}, ..., {@code force}, {@code cancel}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The action of that {@link #wireName()} (exact, lower case), or empty. */
    public static Optional<PolicyAction> parse(String name) {
        return Arrays.stream(values()).filter(a -> a.wireName().equals(name)).findFirst();
    }

    /**
     * The policy action of a protocol request: a reboot with {@code forced} (its params ask for force)
     * is {@link #FORCE}; every other action maps by name.
     */
    public static PolicyAction of(Action action, boolean forced) {
        return switch (Objects.requireNonNull(action, "action == null")) {
            case PING -> PING;
            case DISCOVER -> DISCOVER;
            case STATUS -> STATUS;
            case REBOOT -> forced ? FORCE : REBOOT;
            case CANCEL -> CANCEL;
        };
    }

    /** Reboots happen only inside the maintenance windows (unless a rule says {@code any_time}). */
    public boolean reboots() {
        return this == REBOOT || this == FORCE;
    }

    /** "reboot this node", "force a reboot of this node", ...: what a denial says the caller may not do. */
    String phrase() {
        return switch (this) {
            case PING -> "ping this node";
            case DISCOVER -> "discover this node";
            case STATUS -> "ask this node's status";
            case REBOOT -> "reboot this node";
            case FORCE -> "force a reboot of this node";
            case CANCEL -> "cancel a reboot of this node";
        };
    }
}
