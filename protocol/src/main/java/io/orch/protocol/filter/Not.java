package io.orch.protocol.filter;

import java.util.Objects;

/** Holds when the inner filter does not. */
public record Not(Filter filter) implements Filter {

    public Not {
        Objects.requireNonNull(filter, "filter == null");
    }

    @Override
    public boolean matches(FactView facts) {
        return !filter.matches(facts);
    }

    @Override
    public String toString() {
        return "not " + filter;
    }
}
