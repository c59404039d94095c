package io.orch.cli.output;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orch.protocol.Limits;

/**
 * The one sanitiser for text that came from a node, or from anything else on the bus (a forger's
 * reply, a broker's error), on its way to the operator's terminal. Such text may hold escape
 * sequences that set the title or clear the screen, bidi controls that show a name backwards, or
 * zero-width characters that make two names look alike: none of them reaches the terminal as it
 * came. They are shown as {@code \u001b}-style escapes, so a person still sees that they were there.
 * Text for a terminal ({@link #field}) is also kept to one line and {@link Limits#MAX_CLI_FIELD_CHARS};
 * JSON ({@link #escapingInJson}) keeps every value whole and exact, only written with the same
 * characters escaped, so a script that prints a field of it prints nothing a terminal acts on.
 */
public final class SafeText {
    private SafeText() {
    }

    /**
     * Whether {@code codePoint} is one a terminal would act on, or that hides or reorders text: C0 and C1
     * controls and DEL, every format character (bidi embeddings, overrides, isolates and marks, the Arabic
     * letter mark, zero-width spaces and joiners, the word joiner, the byte order mark, ...), line and
     * paragraph separators, lone surrogates, and code points this JDK does not know (tomorrow's format
     * characters).
     */
    public static boolean unsafe(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE, Character.UNASSIGNED -> true;
            default -> false;
        };
    }

    /**
     * {@code text} as one field on one terminal line: tabs and line breaks become spaces, every other
     * {@link #unsafe} character an escape such as {@code \u001b} or {@code \u202e}, and past
     * {@link Limits#MAX_CLI_FIELD_CHARS} it is cut, saying how much was left out.
     */
    public static String field(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder safe = new StringBuilder(Math.min(text.length(), Limits.MAX_CLI_FIELD_CHARS) + 16);
        int i = 0;
        while (i < text.length()) {
            int c = text.codePointAt(i);
            if (safe.length() >= Limits.MAX_CLI_FIELD_CHARS) {
                return safe.append("... (").append(text.codePointCount(i, text.length()))
                        .append(" more characters not shown)").toString();
            }
            if (c == '\n' || c == '\r' || c == '\t') {
                safe.append(' ');
            } else if (unsafe(c)) {
                safe.append(escape(c));
            } else {
                safe.appendCodePoint(c);
            }
            i += Character.charCount(c);
        }
        return safe.toString();
    }

    /** {@code \u001b} for a BMP code point, {@code \U000e0001} beyond it. */
    static String escape(int codePoint) {
        return codePoint <= 0xFFFF ? String.format("\\u%04x", codePoint) : String.format("\\U%08x", codePoint);
    }

    /**
     * {@code mapper}, set to write every {@link #unsafe} character as a JSON escape ({@code \u202e})
     * rather than raw, as Jackson does by default beyond the C0 controls. Each UTF-16 unit is escaped on
     * its own, so characters beyond the BMP come out as escaped surrogate pairs: still valid JSON, and
     * the same value once parsed.
     */
    public static ObjectMapper escapingInJson(ObjectMapper mapper) {
        mapper.getFactory().setCharacterEscapes(JsonEscapes.INSTANCE);
        return mapper;
    }

    private static final class JsonEscapes extends CharacterEscapes {
        static final JsonEscapes INSTANCE = new JsonEscapes();
        private static final long serialVersionUID = 1L;
        private final int[] ascii;

        private JsonEscapes() {
            ascii = CharacterEscapes.standardAsciiEscapesForJSON();
            ascii[0x7f] = CharacterEscapes.ESCAPE_STANDARD; // DEL: the one ASCII control Jackson writes raw
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            // Jackson asks for every char past ASCII; a surrogate is escaped whatever it pairs with.
            return Character.isSurrogate((char) ch) || unsafe(ch) ? new SerializedString(escape(ch)) : null;
        }
    }
}
