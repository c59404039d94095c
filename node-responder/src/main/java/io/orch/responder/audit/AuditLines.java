package io.orch.responder.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orch.protocol.Limits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an {@link AuditEntry} into its JSON line: at most {@link Limits#MAX_AUDIT_LINE_BYTES}
 * bytes, newline included, and safe to {@code cat} in a terminal. Every character a terminal
 * could act on or a reader could be fooled by is escaped as <code>&#92;uXXXX</code>: C0 controls and DEL,
 * C1 controls, format characters (bidi overrides and isolates, zero-width characters, the BOM),
 * line and paragraph separators, private-use, unassigned and surrogate code units. A field over
 * its budget is cut, ends in a visible marker, and the line says {@code "truncated": true}.
 */
public final class AuditLines {
    private static final int ESCAPED = 6; // backslash, u, four hex digits

    /**
     * Shared by every audit: configured once here and never changed, a mapper holds no audit's state, and
     * two of its own would cost each node some 40 KB (the lab runs thousands of nodes in one process).
     */
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Writes a filter over its budget as plain JSON text, which the line then escapes as a string. */
    private static final ObjectMapper PLAIN = new ObjectMapper();

    static {
        JSON.getFactory().setCharacterEscapes(new TerminalSafe());
        JSON.getFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    public AuditLines() {
    }

    /** The line for {@code entry}, without its newline. */
    public String line(AuditEntry entry) {
        Cutter cut = new Cutter();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", entry.time() == null ? null : entry.time().toString());
        line.put("request_id", cut.name(entry.requestId()));
        // "caller" is only ever a verified name; a claim that was not verified is kept apart, marked as such.
        boolean verified = entry.caller() != null && entry.caller().verified();
        line.put("caller", verified ? cut.name(entry.caller().name()) : null);
        if (entry.caller() != null && !verified) {
            line.put("claimed_caller", cut.name(entry.caller().name()));
        }
        line.put("sender", cut.name(entry.sender()));
        line.put("action", cut.name(entry.action()));
        line.put("filter", cut.filter(entry.filter()));
        line.put("decision", cut.name(entry.decision()));
        line.put("reply", cut.name(entry.reply()));
        if (!entry.replyConfirmed()) {
            line.put("reply_confirmed", false);
        }
        line.put("message", cut.text(entry.message()));
        line.put("reasons", cut.reasons(entry.reasons()));
        if (cut.truncated) {
            line.put("truncated", true);
        }
        String text = write(line);
        if (utf8Bytes(text) + 1 > Limits.MAX_AUDIT_LINE_BYTES) {
            // The budgets add up to less than a line (AuditLinesTest proves it); this only guards a future change.
            Map<String, Object> minimal = new LinkedHashMap<>();
            minimal.put("time", line.get("time"));
            minimal.put("request_id", line.get("request_id"));
            minimal.put("decision", line.get("decision"));
            minimal.put("reply", line.get("reply"));
            if (!entry.replyConfirmed()) {
                minimal.put("reply_confirmed", false);
            }
            minimal.put("message", "audit line over " + Limits.MAX_AUDIT_LINE_BYTES + " bytes; fields left out");
            minimal.put("truncated", true);
            text = write(minimal);
        }
        return text;
    }

    /** {@code value} as a JSON string of this writer, quotes included (tests compare it with {@link #escapedBytes}). */
    String quoted(String value) {
        return write(value);
    }

    private String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an audit line of plain maps and strings", e);
        }
    }

    /** Cuts fields to their budgets and notes whether it cut any. */
    private final class Cutter {
        boolean truncated;

        String name(String value) {
            return cut(value, Limits.MAX_AUDIT_NAME_BYTES);
        }

        String text(String value) {
            return cut(value, Limits.MAX_AUDIT_TEXT_BYTES);
        }

        /** The filter as an object when it fits its budget, else its JSON text, cut. */
        Object filter(Map<String, Object> filter) {
            if (filter == null) {
                return null;
            }
            String escaped = write(filter);
            if (utf8Bytes(escaped) <= Limits.MAX_AUDIT_TEXT_BYTES) {
                return filter;
            }
            String text;
            try {
                text = PLAIN.writeValueAsString(filter);
            } catch (JsonProcessingException e) {
                text = String.valueOf(filter);
            }
            return text(text);
        }

        /** As many reasons as fit the text budget together, and a marker counting the rest. */
        List<String> reasons(List<String> reasons) {
            List<String> out = new ArrayList<>();
            int used = 2; // []
            for (int i = 0; i < reasons.size(); i++) {
                String reason = name(reasons.get(i));
                int cost = escapedBytes(reason) + 3; // quotes and comma
                String more = "[" + (reasons.size() - i) + " more]";
                // Room for the marker stays free while more reasons follow.
                int reserve = i == reasons.size() - 1 ? 0 : escapedBytes(more) + 3;
                if (used + cost + reserve > Limits.MAX_AUDIT_TEXT_BYTES) {
                    out.add(more);
                    truncated = true;
                    break;
                }
                out.add(reason);
                used += cost;
            }
            return out;
        }

        /** {@code value} cut so that it takes at most {@code budget} bytes in the line, quotes excluded. */
        String cut(String value, int budget) {
            if (value == null || escapedBytes(value) <= budget) {
                return value;
            }
            truncated = true;
            String marker = " [truncated: " + value.length() + " chars in all]";
            int room = budget - escapedBytes(marker);
            int end = 0;
            int used = 0;
            while (end < value.length()) {
                int cost = escapedBytes(value.charAt(end));
                if (used + cost > room) {
                    break;
                }
                used += cost;
                end++;
            }
            if (end > 0 && Character.isHighSurrogate(value.charAt(end - 1))) {
                end--; // keep a pair whole
            }
            return value.substring(0, end) + marker;
        }
    }

    /** The bytes {@code value} takes inside a JSON string of this writer, quotes excluded. */
    static int escapedBytes(CharSequence value) {
        int bytes = 0;
        for (int i = 0; i < value.length(); i++) {
            bytes += escapedBytes(value.charAt(i));
        }
        return bytes;
    }

    private static int escapedBytes(char c) {
        if (c == '"' || c == '\\' || c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r') {
            return 2;
        }
        if (c < 0x20 || c == 0x7F) {
            return ESCAPED;
        }
        if (c < 0x80) {
            return 1;
        }
        if (invisible(c)) {
            return ESCAPED;
        }
        return c < 0x800 ? 2 : 3;
    }

    /**
     * Whether {@code c} is written as <code>&#92;uXXXX</code>: a character a terminal acts on, or one that
     * shows nothing (or not itself). Other code that prints message text uses the same test.
     */
    public static boolean invisible(char c) {
        if (c < 0x20 || c >= 0x7F && c <= 0x9F) {
            return true; // C0 controls, DEL, C1 controls
        }
        return switch (Character.getType(c)) {
            case Character.FORMAT, Character.CONTROL, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.PRIVATE_USE, Character.UNASSIGNED, Character.SURROGATE -> true;
            default -> false;
        };
    }

    private static int utf8Bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Jackson's JSON escapes, plus DEL and every character {@link #invisible} names. */
    private static final class TerminalSafe extends CharacterEscapes {
        private final int[] ascii;

        TerminalSafe() {
            ascii = CharacterEscapes.standardAsciiEscapesForJSON();
            ascii[0x7F] = CharacterEscapes.ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch < 0x80 || !invisible((char) ch) ? null : new SerializedString(String.format("\\u%04X", ch));
        }
    }
}
