package io.orch.protocol.filter;

import java.util.Map;
import java.util.Objects;

/**
 * A {@link FactView} over nested maps. At every level a literal key containing dots wins
 * over walking: {@code "os.family"} is first looked up as that key, then as map {@code "os"}
 * → key {@code "family"}. The map is read, not copied; hand it over immutable.
 */
public final class MapFactView implements FactView {

    private final Map<String, ?> facts;

    public MapFactView(Map<String, ?> facts) {
        this.facts = Objects.requireNonNull(facts, "facts == null");
    }

    @Override
    public Object lookup(String dottedPath) {
        if (dottedPath == null || dottedPath.isEmpty()) {
            return null;
        }
        Map<?, ?> level = facts;
        String rest = dottedPath;
        while (true) {
            Object direct = level.get(rest);
            if (direct != null) {
                return direct;
            }
            int dot = rest.indexOf('.');
            if (dot < 0) {
                return null;
            }
            if (!(level.get(rest.substring(0, dot)) instanceof Map<?, ?> child)) {
                return null;
            }
            level = child;
            rest = rest.substring(dot + 1);
        }
    }

    @Override
    public String toString() {
        return "MapFactView" + facts.keySet();
    }
}
