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
 * All facts of one node. Built-in facts are fixed at start; static files and external facts
 * come from a {@link FactsCache} and are read again after its TTL. {@link #forRequest()} gives
 * each request its own view of one reading, in which {@code uptime_s} is current and
 * {@code reboot_pending*} are computed on first use and then held, so one request sees one
 * consistent answer.
 */
public final class NodeFacts {
    public static final String PENDING = "reboot_pending";
    public static final String PENDING_REASONS = "reboot_pending_reasons";

    private final Map<String, Object> builtin;
    private final FactsCache cache;
    private final PendingCheck pendingCheck;
    private final Clock clock;
    private final Instant bootTime;
    private volatile Snapshot snapshot;

    /** The merged facts of one cache reading, built-ins over them. */
    private record Snapshot(FactsCache.Reading reading, Map<String, Object> facts, MapFactView view,
                            Map<String, String> errors) {
    }

    /**
     * Facts fixed for the life of this object, with nothing read again.
     *
     * @param stable built-in and static facts; built-ins should already have been merged over static ones
     */
    public NodeFacts(Map<String, Object> stable, PendingCheck pendingCheck, Clock clock) {
        this(stable, null, pendingCheck, clock);
    }

    /**
     * Reads the cache once now (at most its external timeout).
     *
     * @param builtin facts that win over everything the cache reads
     * @param cache   static files and external facts, or null for none
     */
    public NodeFacts(Map<String, Object> builtin, FactsCache cache, PendingCheck pendingCheck, Clock clock) {
        this.builtin = Collections.unmodifiableMap(new LinkedHashMap<>(builtin));
        this.cache = cache;
        this.pendingCheck = pendingCheck;
        this.clock = clock;
        Object boot = builtin.get("boot_time");
        this.bootTime = boot == null ? clock.instant() : Instant.parse(boot.toString());
        this.snapshot = merge(cache == null ? null : cache.current());
    }

    private Snapshot merge(FactsCache.Reading reading) {
        if (reading == null) {
            return new Snapshot(null, this.builtin, new MapFactView(this.builtin), Map.of());
        }
        Map<String, Object> facts = new LinkedHashMap<>(reading.facts());
        facts.putAll(builtin);
        Map<String, Object> merged = Collections.unmodifiableMap(facts);
        return new Snapshot(reading, merged, new MapFactView(merged), reading.errors());
    }

    /** The current snapshot, after the cache has read again if its TTL ran out. */
    private Snapshot refreshed() {
        if (cache == null) {
            return snapshot;
        }
        FactsCache.Reading reading = cache.current();
        Snapshot s = snapshot;
        if (s.reading() != reading) {
            s = merge(reading);
            snapshot = s;
        }
        return s;
    }

    public String identity() {
        return String.valueOf(builtin.get("identity"));
    }

    /** When this boot began (the {@code boot_time} fact; the start of this process if unknown). */
    public Instant bootTime() {
        return bootTime;
    }

    public String bootId() {
        Object id = builtin.get("boot_id");
        return id == null ? "" : id.toString();
    }

    /** Every non-volatile fact as last read; does not read again. */
    public Map<String, Object> stable() {
        return snapshot.facts();
    }

    /**
     * Facts scripts and files that failed at the last read, by path: for {@code data.fact_errors}
     * in status replies. Empty when all read well.
     */
    public Map<String, String> factErrors() {
        return snapshot.errors();
    }

    /** A view for one request; reads static and external facts again first if their TTL ran out. */
    public RequestFacts forRequest() {
        return new RequestFacts(refreshed());
    }

    /** The facts one request sees. Not shared between threads. */
    public final class RequestFacts implements FactView {
        private final Snapshot snapshot;
        private PendingState pending;

        private RequestFacts(Snapshot snapshot) {
            this.snapshot = snapshot;
        }

        public PendingState pending() {
            if (pending == null) {
                pending = pendingCheck.run();
            }
            return pending;
        }

        /** The fact errors of the reading this request sees; see {@link NodeFacts#factErrors()}. */
        public Map<String, String> factErrors() {
            return snapshot.errors();
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
                    return snapshot.view().lookup(path);
            }
        }
    }
}
