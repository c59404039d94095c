package io.orch.responder.facts;

import io.orch.protocol.filter.FactView;
import io.orch.protocol.filter.MapFactView;
import io.orch.responder.pending.PendingCheck;
import io.orch.responder.pending.PendingState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * All facts of one node. The stable part is built once; {@link #forRequest()} gives each
 * request its own view in which {@code uptime_s} is current and {@code reboot_pending*} are
 * computed on first use and then held, so one request sees one consistent answer.
 */
public final class NodeFacts {
    public static final String PENDING = "reboot_pending";
    public static final String PENDING_REASONS = "reboot_pending_reasons";

    private final Map<String, Object> stable;
    private final MapFactView stableView;
    private final PendingCheck pendingCheck;
    private final Clock clock;
    private final Instant bootTime;

    /** @param stable built-in and static facts; built-ins should already have been merged over static ones */
    public NodeFacts(Map<String, Object> stable, PendingCheck pendingCheck, Clock clock) {
        this.stable = Collections.unmodifiableMap(new LinkedHashMap<>(stable));
        this.stableView = new MapFactView(this.stable);
        this.pendingCheck = pendingCheck;
        this.clock = clock;
        Object boot = stable.get("boot_time");
        this.bootTime = boot == null ? clock.instant() : Instant.parse(boot.toString());
    }

    public String identity() {
        return String.valueOf(stable.get("identity"));
    }

    public String bootId() {
        Object id = stable.get("boot_id");
        return id == null ? "" : id.toString();
    }

    public Map<String, Object> stable() {
        return stable;
    }

    public RequestFacts forRequest() {
        return new RequestFacts();
    }

    /** The facts one request sees. Not shared between threads. */
    public final class RequestFacts implements FactView {
        private PendingState pending;

        public PendingState pending() {
            if (pending == null) {
                pending = pendingCheck.run();
            }
            return pending;
        }

        @Override
        public Object lookup(String path) {
            switch (path) {
                case PENDING:
                    return pending().pending();
                case PENDING_REASONS:
                    return pending().reasonNames();
                case "uptime_s":
                    return Duration.between(bootTime, clock.instant()).toSeconds();
                default:
                    return stableView.lookup(path);
            }
        }
    }
}
