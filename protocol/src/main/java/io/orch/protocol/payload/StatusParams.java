package io.orch.protocol.payload;

import java.util.List;

/**
 * The params of {@code status}.
 *
 * @param facts dotted fact paths to send back in {@code data.facts}, or null when none were asked for
 *              (an empty list asks for none and still gets {@code "facts":{}})
 */
public record StatusParams(List<String> facts) implements ActionParams {
    /** No facts asked for: {@code {}}. */
    public static final StatusParams NONE = new StatusParams(null);

    public StatusParams {
        facts = Copies.nullableList(facts);
    }
}
