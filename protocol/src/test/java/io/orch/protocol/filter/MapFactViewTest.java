package io.orch.protocol.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Facts by dotted path: a literal dotted key first, then a walk through nested maps. */
class MapFactViewTest {

    private final MapFactView view = new MapFactView(Map.of(
            "os", Map.of("family", "debian", "release", Map.of("major", 12), "release.full", "12.5"),
            "kernel.release", "6.1.0",
            "kernel", Map.of("release", "shadowed"),
            "identity", "web01",
            "reasons", List.of("kernel")));

    @Test
    void dottedPathWalksNestedMaps() {
        assertEquals("debian", view.lookup("os.family"));
        assertEquals(12, view.lookup("os.release.major"));
    }

    @Test
    void literalKeyContainingDotsWinsOverWalking() {
        assertEquals("6.1.0", view.lookup("kernel.release"));
    }

    @Test
    void literalDottedKeyIsFoundBelowTheTopLevelToo() {
        assertEquals("12.5", view.lookup("os.release.full"));
    }

    @Test
    void pathWithoutDotsIsAPlainKey() {
        assertEquals("web01", view.lookup("identity"));
        assertEquals(List.of("kernel"), view.lookup("reasons"));
        assertEquals(Map.of("family", "debian", "release", Map.of("major", 12), "release.full", "12.5"), view.lookup("os"));
    }

    @Test
    void missingFactOrWalkThroughANonMapIsNull() {
        assertNull(view.lookup("no_such_fact"));
        assertNull(view.lookup("os.codename"));
        assertNull(view.lookup("identity.length"));
        assertNull(view.lookup("reasons.0"));
        assertNull(view.lookup(""));
        assertNull(view.lookup(null));
    }
}
