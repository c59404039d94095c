package io.orch.protocol.filter;

import java.util.List;
import java.util.stream.Collectors;

/** Holds when at least one of its filters holds. */
record Or(List<Filter> filters) implements Filter {

    public Or {
        filters = Filters.operands(filters, "Or");
    }

    @Override
    public boolean matches(FactView facts) {
        for (Filter f : filters) {
            if (f.matches(facts)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return filters.stream().map(Filter::toString).collect(Collectors.joining(" or ", "(", ")"));
    }
}
