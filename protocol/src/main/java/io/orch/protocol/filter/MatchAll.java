package io.orch.protocol.filter;

/** The empty filter, {@link Filter#MATCH_ALL}: every node matches. */
record MatchAll() implements Filter {

    @Override
    public boolean matches(FactView facts) {
        return true;
    }

    @Override
    public String toString() {
        return "(match all)";
    }
}
