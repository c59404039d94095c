package io.orch.protocol.filter;

import java.util.List;
import java.util.stream.Collectors;

/** Holds when every one of its filters holds. */
record And(List<Filter> filters) implements Filter {

    public And {
        filters = Filters.operands(filters, "And");
    }

    @Override
    public boolean matches(FactView facts) {
        for (Filter f : filters) {
            if (!f.matches(facts)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return filters.stream().map(Filter::toString).collect(Collectors.joining(" and ", "(", ")"));
    }
}
