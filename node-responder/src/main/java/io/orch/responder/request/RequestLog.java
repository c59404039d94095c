package io.orch.responder.request;

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
    /** Characters of a message-supplied name a log line shows. */
    private static final int MAX_SHOWN = 128;

    private RequestLog() {
    }

    /**
     * {@code text} from a message (a destination name, a correlation id) fit for a log line: at
     * most {@value #MAX_SHOWN} characters, controls and invisible characters as {@code ?}, so it
     * can neither forge a line nor act on a terminal.
     */
    public static String printable(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_SHOWN + 3));
        for (int i = 0; i < text.length() && i < MAX_SHOWN; i++) {
            char c = text.charAt(i);
            out.append(AuditLines.invisible(c) ? '?' : c);
        }
        return text.length() > MAX_SHOWN ? out.append("...").toString() : out.toString();
    }
}
