package io.orch.protocol.filter;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A filter as carried on the wire and typed on the CLI: the {@code -F}, {@code -I} and
 * {@code -S} strings, uncompiled; each node compiles them with {@link #compile()}. An empty
 * spec serializes as {@code {}} and matches every node.
 *
 * @param fact     {@code -F} comparisons, all of which must hold
 * @param identity {@code -I} identities or {@code /regex/}es, any of which may match
 * @param compound one {@code -S} expression, or null
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record FilterSpec(
        @JsonProperty("fact") List<String> fact,
        @JsonProperty("identity") List<String> identity,
        @JsonProperty("compound") String compound) {

    public static final FilterSpec EMPTY = new FilterSpec(List.of(), List.of(), null);

    public FilterSpec {
        fact = copy(fact, "fact");
        identity = copy(identity, "identity");
        compound = compound == null || compound.isBlank() ? null : compound;
    }

    /** True when no part is given: the spec matches every node. */
    @JsonIgnore
    public boolean isEmpty() {
        return fact.isEmpty() && identity.isEmpty() && compound == null;
    }

    /**
     * Every part, empty ones included, as reports and audit logs write it:
     * {@code {"fact":[...],"identity":[...],"compound":null}}. (On the wire, empty parts are left out.)
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("fact", fact);
        map.put("identity", identity);
        map.put("compound", compound);
        return java.util.Collections.unmodifiableMap(map);
    }

    /**
     * All {@code -F} must hold, and (when any {@code -I} is given) one of them must match, and
     * the compound must hold (when given). The empty spec compiles to {@link Filter#MATCH_ALL}.
     * Nothing is compiled unless the parts together are within the per-request budget.
     *
     * @throws FilterBudgetException when the parts together hold more than {@link io.orch.protocol.Limits} allows
     * @throws FilterSyntaxException when a part cannot be read
     */
    public Filter compile() throws FilterSyntaxException {
        checkBudget();
        List<Filter> parts = new ArrayList<>();
        for (String f : fact) {
            parts.add(Parser.compile(Parser.Form.FACT, f));
        }
        if (!identity.isEmpty()) {
            List<Filter> identities = new ArrayList<>();
            for (String i : identity) {
                identities.add(Parser.compile(Parser.Form.IDENTITY, i));
            }
            parts.add(identities.size() == 1 ? identities.get(0) : new Or(identities));
        }
        if (compound != null) {
            parts.add(Parser.compile(Parser.Form.COMPOUND, compound));
        }
        if (parts.isEmpty()) {
            return Filter.MATCH_ALL;
        }
        return parts.size() == 1 ? parts.get(0) : new And(parts);
    }

    /**
     * Reads every part without compiling anything, as a node does before it compiles: the syntax,
     * each regex's own cost, and the budget of the parts together.
     *
     * @throws FilterBudgetException when the parts together hold more than {@link io.orch.protocol.Limits} allows
     * @throws FilterSyntaxException when a part cannot be read
     */
    public void checkBudget() throws FilterSyntaxException {
        FilterBudget budget = new FilterBudget();
        for (String f : fact) {
            Parser.scan(Parser.Form.FACT, f, budget);
        }
        for (String i : identity) {
            Parser.scan(Parser.Form.IDENTITY, i, budget);
        }
        if (compound != null) {
            Parser.scan(Parser.Form.COMPOUND, compound, budget);
        }
        budget.check();
    }

    private static List<String> copy(List<String> values, String name) {
        if (values == null) {
            return List.of();
        }
        for (String v : values) {
            Objects.requireNonNull(v, name + " contains null");
        }
        return List.copyOf(values);
    }
}
