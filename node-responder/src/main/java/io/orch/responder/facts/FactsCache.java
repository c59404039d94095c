package io.orch.responder.facts;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The facts that can change while the responder runs, static files and external executables,
 * read together and kept for a TTL. The first request after the TTL reads them again, which
 * takes at most the external timeout; a request that finds another one reading uses the
 * facts as they were. A source that fails keeps the facts of its last good read and its error
 * is reported until it reads well again, so a flaky script does not make facts come and go.
 */
public final class FactsCache {
    private static final Logger log = LoggerFactory.getLogger(FactsCache.class);

    private final List<Path> files;
    private final ExternalFacts external;
    private final Duration ttl;
    private final Clock clock;
    private final ReentrantLock reading = new ReentrantLock();
    /** By source, only touched under {@link #reading}. */
    private final Map<Path, Map<String, Object>> lastGood = new TreeMap<>();
    private volatile Reading current;

    /**
     * Facts as of one read.
     *
     * @param facts  external facts with static files' facts over them
     * @param errors by script or file path; empty when everything read well
     */
    record Reading(Map<String, Object> facts, Map<String, String> errors, Instant readAt) {
        public Reading {
            facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
            errors = Collections.unmodifiableMap(new LinkedHashMap<>(errors));
        }
    }

    /**
     * @param files    static facts files (JSON or YAML)
     * @param external the external facts folder, or null for none
     * @param ttl      how long a read is used; zero reads for every request
     */
    public FactsCache(List<Path> files, ExternalFacts external, Duration ttl, Clock clock) {
        this.files = List.copyOf(files);
        this.external = external;
        this.ttl = Objects.requireNonNull(ttl, "ttl == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    /** The current facts, read again first when the TTL has run out and nobody else is reading. */
    Reading current() {
        Reading r = current;
        if (r != null && !expired(r)) {
            return r;
        }
        if (r == null) {
            reading.lock(); // the very first read: nothing to fall back on
        } else if (!reading.tryLock()) {
            return r;
        }
        try {
            Reading now = current;
            if (now == null || expired(now)) {
                now = read();
                current = now;
            }
            return now;
        } finally {
            reading.unlock();
        }
    }

    /** The facts of the last read, without reading again; null before the first. */
    Reading last() {
        return current;
    }

    private boolean expired(Reading r) {
        Instant now = clock.instant();
        // A clock set back counts as expired too: better one read too many than facts stuck for hours.
        return !now.isBefore(r.readAt().plus(ttl)) || now.isBefore(r.readAt());
    }

    private Reading read() {
        Map<String, Object> facts = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        if (external != null) {
            readExternal(facts, errors);
        }
        for (Path file : files) {
            try {
                Map<String, Object> read = FactsFile.read(file);
                lastGood.put(file, read);
                facts.putAll(read);
            } catch (IllegalArgumentException e) {
                failed(file, e.getMessage(), facts, errors);
            }
        }
        return new Reading(facts, errors, clock.instant());
    }

    private void readExternal(Map<String, Object> facts, Map<String, String> errors) {
        Path dir = external.dir();
        Map<Path, ExternalFacts.Outcome> outcomes;
        try {
            outcomes = external.run();
        } catch (IOException | RuntimeException e) {
            String error = "cannot list the external facts folder: " + e;
            log.warn("{}: {}", dir, error);
            errors.put(dir.toString(), error);
            lastGood.forEach((source, kept) -> {
                if (!files.contains(source)) {
                    facts.putAll(kept);
                }
            });
            return;
        }
        // A script that is gone takes its facts with it.
        lastGood.keySet().removeIf(source -> !files.contains(source) && !outcomes.containsKey(source));
        outcomes.forEach((script, outcome) -> {
            if (outcome.ok()) {
                lastGood.put(script, outcome.facts());
                facts.putAll(outcome.facts());
            } else {
                failed(script, outcome.error(), facts, errors);
            }
        });
    }

    private void failed(Path source, String error, Map<String, Object> facts, Map<String, String> errors) {
        Map<String, Object> kept = lastGood.get(source);
        String message = kept == null ? error : error + " (its last good facts are kept)";
        log.warn("facts from {}: {}", source, message);
        errors.put(source.toString(), message);
        if (kept != null) {
            facts.putAll(kept);
        }
    }
}
