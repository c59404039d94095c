package io.orch.protocol.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every filter text a request can carry either parses or fails with a {@link FilterSyntaxException}
 * that points inside the text; what parses evaluates against any facts without throwing, and a
 * {@code -F} or {@code -S} prints back to an equal filter. Coverage-guided, where
 * {@link FilterFuzzTest} tries fixed random samples.
 *
 * <p>Input (UTF-8): the first line is a form character ({@code F}, {@code I} or {@code S}) and the
 * filter text; each further line is a fact {@code dotted.path=value}, the value typed as a node's
 * facts are: {@code true}/{@code false}, a whole number (Integer, Long or BigInteger, as JSON
 * gives them), a decimal (Double), {@code [a,b]} a list, {@code ~} null, else a string. Seeds are in
 * {@code FilterLanguageFuzzTestInputs/parseAndEvaluate/}. See docs/fuzzing.md.
 */
class FilterLanguageFuzzTest {

    @FuzzTest
    void parseAndEvaluate(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        String first = newline < 0 ? text : text.substring(0, newline);
        if (first.isEmpty()) {
            return;
        }
        char form = first.charAt(0);
        String filterText = first.substring(1);
        Map<String, Object> facts = facts(newline < 0 ? "" : text.substring(newline + 1));

        Filter filter;
        try {
            filter = switch (form) {
                case 'F' -> FilterParser.parseFact(filterText);
                case 'I' -> FilterParser.parseIdentity(filterText);
                default -> FilterParser.parseCompound(filterText);
            };
        } catch (FilterSyntaxException e) {
            assertTrue(e.position() >= 0 && e.position() <= filterText.length(), e::getMessage);
            assertTrue(e.pointer().endsWith("^"), e::pointer);
            assertFalse(e.reason().isBlank(), "a refusal says what is wrong");
            return;
        }
        filter.matches(new MapFactView(facts));
        filter.matches(new MapFactView(Map.of()));
        if (form == 'F' || form == 'S') {
            String printed = filter.toString();
            try {
                Filter again = form == 'F' ? FilterParser.parseFact(printed) : FilterParser.parseCompound(printed);
                assertEquals(filter, again, () -> "'" + filterText + "' printed as '" + printed + "'");
            } catch (FilterSyntaxException e) {
                throw new AssertionError("'" + filterText + "' printed as '" + printed + "', which does not parse: "
                        + e.getMessage(), e);
            }
        }
    }

    /** Nested maps from {@code a.b=value} lines; a path through a non-map value replaces it. */
    private static Map<String, Object> facts(String lines) {
        Map<String, Object> root = new LinkedHashMap<>();
        for (String line : lines.split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String[] path = line.substring(0, eq).split("\\.", -1);
            Map<String, Object> level = root;
            for (int i = 0; i < path.length - 1; i++) {
                Object next = level.get(path[i]);
                if (!(next instanceof Map<?, ?>)) {
                    next = new LinkedHashMap<String, Object>();
                    level.put(path[i], next);
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> child = (Map<String, Object>) next;
                level = child;
            }
            level.put(path[path.length - 1], value(line.substring(eq + 1)));
        }
        return root;
    }

    private static Object value(String text) {
        if (text.equals("~")) {
            return null;
        }
        if (text.equals("true") || text.equals("false")) {
            return Boolean.valueOf(text);
        }
        if (text.startsWith("[") && text.endsWith("]") && text.length() >= 2) {
            List<Object> list = new ArrayList<>();
            for (String item : text.substring(1, text.length() - 1).split(",", -1)) {
                list.add(value(item));
            }
            return list;
        }
        if (text.matches("-?[0-9]{1,400}")) {
            BigInteger n = new BigInteger(text);
            return n.bitLength() < 32 ? (Object) n.intValue() : n.bitLength() < 64 ? (Object) n.longValue() : n;
        }
        if (text.matches("-?[0-9]{0,40}\\.[0-9]{1,40}([eE][-+]?[0-9]{1,3})?")) {
            return Double.valueOf(text);
        }
        return text;
    }
}
