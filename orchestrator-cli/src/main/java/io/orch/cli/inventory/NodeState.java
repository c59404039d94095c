package io.orch.cli.inventory;

import java.util.Optional;

/** What a node last said of itself in its announcement. */
public enum NodeState {
    /** Serving requests: expected to answer. */
    UP("up"),
    /** Going down for a reboot it was asked for: expected back, so still expected to answer. */
    REBOOTING("rebooting"),
    /** Stopped cleanly (its service was stopped): not expected to answer. */
    STOPPED("stopped");

    private final String wireName;

    NodeState(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** True when a run waits for the node's answer. */
    public boolean expected() {
        return this != STOPPED;
    }

    public static Optional<NodeState> ofWireName(String name) {
        for (NodeState state : values()) {
            if (state.wireName.equals(name)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}
