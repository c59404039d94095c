package io.orch.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orch.protocol.Limits;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafeTextTest {
    /** What the issue names: title, clear screen, right-to-left override, zero-width space. */
    static final String HOSTILE = "up \u001b]0;pwned\u0007 \u001b[2J \u202etxt.exe\u202c \u200bweb01";

    @Test
    void escapesAndBidiAndZeroWidthAreShownNotActedOn() {
        assertEquals("up \\u001b]0;pwned\\u0007 \\u001b[2J \\u202etxt.exe\\u202c \\u200bweb01",
                SafeText.field(HOSTILE));
    }

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(ints = {0x00, 0x07, 0x1b, 0x7f, 0x80, 0x85, 0x9b, 0x9f, 0x061c, 0x200b, 0x200c, 0x200d, 0x200e,
        0x200f, 0x2028, 0x2029, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2060, 0x2066, 0x2067, 0x2068, 0x2069,
        0xfeff, 0x00ad, 0xfff9, 0xe0001, 0xd800})
    void everyControlFormatAndSeparatorCharacterIsEscaped(int codePoint) {
        String text = "a" + new String(Character.toChars(codePoint)) + "b";
        String safe = SafeText.field(text);

        assertTrue(SafeText.unsafe(codePoint));
        assertEquals("a" + SafeText.escape(codePoint) + "b", safe);
        assertTrue(safe.chars().allMatch(c -> c >= 0x20 && c < 0x7f), safe);
    }

    @Test
    void lineBreaksAndTabsBecomeSpacesSoAFieldIsOneLine() {
        assertEquals("shutdown: exit 1 Failed to talk to init daemon.  x", SafeText.field(
                "shutdown: exit 1\nFailed to talk to init daemon.\r\tx"));
    }

    @Test
    void ordinaryTextOfAnyScriptIsLeftAlone() {
        String text = "Müller's node: Ελληνικά, 日本語, עברית, العربية, emoji \uD83D\uDE80, a\\u001b stays";
        assertEquals(text, SafeText.field(text));
        assertEquals("", SafeText.field(null));
    }

    @Test
    void aLongFieldIsCutSayingHowMuchIsLeftOut() {
        String text = "x".repeat(Limits.MAX_CLI_FIELD_CHARS + 500);
        String safe = SafeText.field(text);

        assertEquals("x".repeat(Limits.MAX_CLI_FIELD_CHARS) + "... (500 more characters not shown)", safe);
        assertEquals("x".repeat(Limits.MAX_CLI_FIELD_CHARS), SafeText.field("x".repeat(Limits.MAX_CLI_FIELD_CHARS)));
    }

    @Test
    void escapesCountTowardsTheBound() {
        String safe = SafeText.field("\u001b".repeat(Limits.MAX_CLI_FIELD_CHARS));

        assertTrue(safe.length() < Limits.MAX_CLI_FIELD_CHARS + 60, () -> "length " + safe.length());
        assertTrue(safe.endsWith(" more characters not shown)"), safe);
    }

    @Test
    void jsonKeepsTheValueExactAndWritesNothingRaw() throws Exception {
        ObjectMapper mapper = SafeText.escapingInJson(new ObjectMapper());
        String value = HOSTILE + " \u0085 \u007f \u2066x\u2069 \uD83D\uDE80 \uDB40\uDC01 Müller";
        String json = mapper.writeValueAsString(Map.of("message", value));

        assertTrue(json.chars().allMatch(c -> !SafeText.unsafe(c) && !Character.isSurrogate((char) c)), json);
        String lower = json.toLowerCase(java.util.Locale.ROOT);
        assertTrue(lower.contains("\\u202e") && lower.contains("\\u001b") && lower.contains("\\u007f")
                && json.contains("Müller"), json);
        JsonNode read = new ObjectMapper().readTree(json);
        assertEquals(value, read.get("message").asText());
        assertFalse(json.contains("\\\\u"), "escaped once, not twice: " + json);
    }
}
