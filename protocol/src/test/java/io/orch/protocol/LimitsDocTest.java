package io.orch.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * "Named in one place" stays true: every public constant of {@link Limits} has a row in
 * docs/limits.md showing its value, and every row names a constant that exists.
 */
class LimitsDocTest {
    private static final Pattern ROW = Pattern.compile("^\\| `([A-Z][A-Z0-9_]*)` \\|(.*)$");

    private static Map<String, String> rows() throws IOException {
        Path doc = Path.of("..", "docs", "limits.md"); // tests run in the module's folder
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(doc, StandardCharsets.UTF_8)) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                rows.put(m.group(1), m.group(2));
            }
        }
        return rows;
    }

    private static Map<String, Object> constants() throws IllegalAccessException {
        Map<String, Object> constants = new LinkedHashMap<>();
        for (Field field : Limits.class.getDeclaredFields()) {
            int mod = field.getModifiers();
            if (Modifier.isPublic(mod) && Modifier.isStatic(mod) && Modifier.isFinal(mod)) {
                constants.put(field.getName(), field.get(null));
            }
        }
        return constants;
    }

    @Test
    void everyLimitHasARowShowingItsValue() throws Exception {
        Map<String, String> rows = rows();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Object> constant : constants().entrySet()) {
            String row = rows.get(constant.getKey());
            if (row == null) {
                problems.add(constant.getKey() + " has no row in docs/limits.md");
            } else if (!row.contains("`" + constant.getValue() + "`")) {
                problems.add(constant.getKey() + "'s row does not show its value `" + constant.getValue() + "`");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyRowNamesALimitThatExists() throws Exception {
        Map<String, Object> constants = constants();
        List<String> stale = rows().keySet().stream().filter(name -> !constants.containsKey(name)).toList();
        assertEquals(List.of(), stale, "rows in docs/limits.md for constants Limits does not have");
    }

    @Test
    void theCheckSeesTheConstants() throws Exception {
        assertTrue(constants().size() >= 30, constants().keySet().toString());
        assertEquals(constants().size(), rows().size());
    }
}
