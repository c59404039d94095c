package io.orch.responder.policy;

import io.orch.protocol.filter.FactView;
import io.orch.protocol.filter.Filter;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One rule of the policy file: these callers may do these actions, on a node whose facts match
 * {@code facts} (when given); reboots only inside the maintenance windows unless {@code anyTime}.
 *
 * @param number    1-based position in the file, as reasons name it
 * @param factsText the {@code facts} condition as written, null when none
 * @param facts     that condition compiled, {@link Filter#MATCH_ALL} when none
 */
record Rule(int number, List<Callers> callers, Set<PolicyAction> actions, String factsText, Filter facts,
            boolean anyTime) {

    Rule {
        callers = List.copyOf(callers);
        actions = Set.copyOf(EnumSet.copyOf(actions));
    }

    boolean names(String caller) {
        return callers.stream().anyMatch(c -> c.matches(caller));
    }

    boolean allows(PolicyAction action) {
        return actions.contains(action);
    }

    boolean matchesFacts(FactView view) {
        return facts.matches(view);
    }

    /** {@code rule 2 (callers @operators, alice)}; {@code any time} added when the rule has it. */
    String describe() {
        return "rule " + number + " (callers " + callerList() + (anyTime ? "; any time" : "") + ")";
    }

    String callerList() {
        return callers.stream().map(Callers::text).collect(Collectors.joining(", "));
    }
}
