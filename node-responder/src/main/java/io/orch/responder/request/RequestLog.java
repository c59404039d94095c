package io.orch.responder.request;

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
}
