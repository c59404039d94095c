package io.orch.protocol.filter;

/**
 * A compiled filter: an immutable, thread-safe predicate over one node's facts. Build one
 * with {@link FilterParser} or {@link FilterSpec#compile()}; {@code toString()} prints it
 * back as a readable expression for logs.
 */
public sealed interface Filter permits FactComparison, IdentityMatch, And, Or, Not, MatchAll {

    /** The empty filter: every node matches. */
    Filter MATCH_ALL = new MatchAll();

    boolean matches(FactView facts);
}
