package io.orch.responder.request;

import io.orch.protocol.Limits;
import io.orch.responder.audit.AuditLines;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one logger of request handling. The gate, the actions and the dispatcher all write to it,
 * under the name the responder's lines always had ({@code io.orch.responder.Responder}), so
 * log configs and the lines themselves ({@code WARN Responder - ...}) stay as they were.
 */
public final class RequestLog {
    public static final Logger LOG = LoggerFactory.getLogger("io.orch.responder.Responder");
    private RequestLog() {
    }

    /**
     * A name from a message (a destination name, a correlation id, a claimed caller) fit for a log
     * line: at most {@link Limits#MAX_LOG_NAME_CHARS} characters, controls and invisible characters
     * as {@code ?}, so it can neither forge a line nor act on a terminal.
     */
    public static String printable(String text) {
        return printable(text, Limits.MAX_LOG_NAME_CHARS);
    }

    /**
     * As {@link #printable(String)} for a longer text that may quote a message (why a request is
     * refused: a decoder's or the filter parser's message), at most {@link Limits#MAX_LOG_MESSAGE_CHARS}.
     */
    public static String printableMessage(String text) {
        return printable(text, Limits.MAX_LOG_MESSAGE_CHARS);
    }

    private static String printable(String text, int max) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), max + 3));
        for (int i = 0; i < text.length() && i < max; i++) {
            char c = text.charAt(i);
            out.append(AuditLines.invisible(c) ? '?' : c);
        }
        return text.length() > max ? out.append("...").toString() : out.toString();
    }
}
