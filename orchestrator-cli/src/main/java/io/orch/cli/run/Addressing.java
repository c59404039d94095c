package io.orch.cli.run;

import io.orch.protocol.Limits;
import io.orch.protocol.bus.Destinations;
import io.orch.protocol.filter.Filter;
import io.orch.protocol.filter.FilterParser;
import io.orch.protocol.filter.FilterSpec;
import io.orch.protocol.filter.FilterSyntaxException;
import io.orch.protocol.filter.IdentityMatch;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Where a run's first request goes and whom it waits for. When the nodes asked are known by name
 * (every {@code -I} is an exact identity, or {@code --nodes FILE} lists them), the request goes to
 * each one's own topic and the rest of the fleet never sees it; otherwise it is broadcast. Either
 * way the whole filter goes with it, so an addressed node that fails the other parts answers "not
 * matched".
 *
 * @param addressed the nodes sent the request on their own topics; empty to broadcast
 * @param expected  the nodes discovery waits for, each reported as no response when silent; empty when
 *                  unknown (then a quiet window ends discovery)
 * @param counted   the only nodes whose replies count: the named ones, excluded included, however the
 *                  request went out; empty when no node is named (any node that answers counts)
 */
public record Addressing(Set<String> addressed, Set<String> expected, Set<String> counted) {
    public Addressing {
        addressed = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(addressed));
        expected = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(expected));
        counted = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(counted));
        if (!addressed.isEmpty() && expected.isEmpty()) {
            throw new IllegalArgumentException("addressed nodes but none expected: discovery would never end early");
        }
    }

    /**
     * The nodes named by the exact {@code -I}s of {@code filter} and by {@code inventory} are
     * addressed, excluded ones too (they answer, and are reported as skipped, as on a broadcast), and
     * all but the excluded expected. A regex among the {@code -I}s broadcasts, as does a list longer
     * than {@code maxDirect} (one message per node then costs more than the broker's fan-out), and then
     * discovery still waits for exactly the listed nodes.
     *
     * @param inventory the {@code --nodes} list, excluded ones included; empty when none
     * @param excluded  nodes never acted on
     */
    public static Addressing of(FilterSpec filter, Set<String> inventory, Set<String> excluded, int maxDirect) {
        Set<String> named = new LinkedHashSet<>(inventory);
        Set<String> exact = exactIdentities(filter);
        if (exact != null) {
            named.addAll(exact);
        }
        if (named.isEmpty()) {
            return new Addressing(Set.of(), Set.of(), Set.of()); // who may answer is not known: broadcast, as always
        }
        Set<String> expected = new LinkedHashSet<>(named);
        expected.removeAll(excluded);
        if (expected.isEmpty()) {
            return new Addressing(Set.of(), Set.of(), named); // every named node excluded: nothing to act on
        }
        if (exact == null || named.size() > maxDirect) {
            // A regex -I beside --nodes, or a very long list, is faster broadcast; the named nodes still
            // are the only ones that count, so no node outside the list is ever acted on.
            return new Addressing(Set.of(), expected, named);
        }
        return new Addressing(named, expected, named);
    }

    /** As {@link #of(FilterSpec, Set, Set, int)} with {@link Limits#MAX_DIRECT_DISCOVERY}. */
    public static Addressing of(FilterSpec filter, Set<String> inventory, Set<String> excluded) {
        return of(filter, inventory, excluded, Limits.MAX_DIRECT_DISCOVERY);
    }

    /** Whether the request goes to each node's own topic rather than the broadcast. */
    public boolean direct() {
        return !addressed.isEmpty();
    }

    /**
     * The identities of the {@code -I}s when every one is exact and usable as a destination name (none when
     * there is no {@code -I}); null when there is a regex (or a name no node can have) among them.
     */
    static Set<String> exactIdentities(FilterSpec filter) {
        Set<String> exact = new LinkedHashSet<>();
        for (String text : filter.identity()) {
            Filter part;
            try {
                part = FilterParser.parseIdentity(text);
            } catch (FilterSyntaxException e) {
                return null; // the command refused it already; never guess here
            }
            if (!(part instanceof IdentityMatch match) || match.isRegex()
                    || Destinations.identityProblem(match.value()) != null) {
                return null;
            }
            exact.add(match.value());
        }
        return exact;
    }

    /**
     * Whether a node of this identity can match the {@code -I}s of {@code filter} (any of them; true when there
     * is none): the one part of a filter the CLI can judge itself, so a known node that cannot match is not
     * waited for. A part the CLI cannot read (the command refused it already) is taken as a possible match.
     */
    static boolean mayMatch(FilterSpec filter, String identity) {
        if (filter.identity().isEmpty()) {
            return true;
        }
        for (String text : filter.identity()) {
            try {
                if (!(FilterParser.parseIdentity(text) instanceof IdentityMatch match)
                        || (match.isRegex() ? match.regex().matcher(identity).find() : match.value().equals(identity))) {
                    return true;
                }
            } catch (FilterSyntaxException e) {
                return true;
            }
        }
        return false;
    }
}
