package io.orch.responder.resource;

import io.orch.responder.pending.PendingState;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;

/**
 * A reboot declared for one request, modelled on Puppet's {@code reboot} type.
 *
 * @param when    {@code pending}: reboot only if a reboot is pending; {@code refreshed}: reboot regardless (needs force)
 * @param noop    say what would happen, change nothing
 * @param delay   time between the decision and the reboot (users get a warning during it)
 * @param message the message logged-in users and the event log see
 */
public record RebootResource(When when, boolean noop, Duration delay, String message, List<String> onlyif,
                             List<String> unless) {

    public RebootResource {
        onlyif = onlyif == null ? List.of() : List.copyOf(onlyif);
        unless = unless == null ? List.of() : List.copyOf(unless);
    }

    RebootResource(When when, boolean noop, Duration delay, String message) {
        this(when, noop, delay, message, List.of(), List.of());
    }


    static final Duration DEFAULT_DELAY = Duration.ofMinutes(1);
    static final Duration MAX_DELAY = Duration.ofDays(1);
    static final String DEFAULT_MESSAGE = "orch: rebooting to complete pending updates";
    private static final int MAX_MESSAGE = 400;

    public enum When {
        PENDING, REFRESHED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What the resource decided. */
    public enum Decision {
        REBOOT, WOULD_REBOOT, NOT_PENDING
    }

    /**
     * Reads the resource from request parameters.
     *
     * @throws IllegalArgumentException naming the bad parameter
     */
    public static RebootResource fromParams(Map<String, Object> params) {
        When when = When.PENDING;
        Object force = params.getOrDefault("force", false);
        if (!(force instanceof Boolean)) {
            throw new IllegalArgumentException("param 'force' must be true or false");
        }
        Object whenParam = params.get("when");
        if (whenParam != null) {
            if (!(whenParam instanceof String w)) {
                throw new IllegalArgumentException("param 'when' must be the string 'pending' or 'refreshed'");
            }
            if (w.equals("pending")) {
                when = When.PENDING;
            } else if (w.equals("refreshed")) {
                if (!Boolean.TRUE.equals(force)) {
                    throw new IllegalArgumentException("when => refreshed reboots even when nothing is pending; "
                            + "it needs force: true");
                }
                when = When.REFRESHED;
            } else {
                throw new IllegalArgumentException("param 'when' must be 'pending' or 'refreshed', got '" + w + "'");
            }
        }
        Object noop = params.getOrDefault("noop", false);
        if (!(noop instanceof Boolean)) {
            throw new IllegalArgumentException("param 'noop' must be true or false");
        }
        Duration delay = DEFAULT_DELAY;
        Object delayParam = params.get("delay_s");
        if (delayParam != null) {
            if (!(delayParam instanceof Integer || delayParam instanceof Long)) {
                throw new IllegalArgumentException("param 'delay_s' must be a whole number of seconds");
            }
            long seconds = ((Number) delayParam).longValue();
            if (seconds < 0 || seconds > MAX_DELAY.toSeconds()) {
                throw new IllegalArgumentException("param 'delay_s' must be between 0 and " + MAX_DELAY.toSeconds()
                        + ", got " + seconds);
            }
            delay = Duration.ofSeconds(seconds);
        }
        String message = DEFAULT_MESSAGE;
        Object messageParam = params.get("message");
        if (messageParam != null) {
            if (!(messageParam instanceof String text) || text.length() > MAX_MESSAGE) {
                throw new IllegalArgumentException("param 'message' must be a string of at most " + MAX_MESSAGE
                        + " characters");
            }
            if (text.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("param 'message' must not contain control characters");
            }
            if (text.startsWith("-")) {
                // shutdown reads options after the time too: a message "-P" would power the node off.
                throw new IllegalArgumentException("param 'message' must not start with '-': the reboot command "
                        + "would read it as an option");
            }
            message = text;
        }
        List<String> onlyif = reasonList(params, "onlyif");
        List<String> unless = reasonList(params, "unless");
        if (!onlyif.isEmpty() && !unless.isEmpty()) {
            throw new IllegalArgumentException("params 'onlyif' and 'unless' cannot both be given");
        }
        return new RebootResource(when, (Boolean) noop, delay, message, onlyif, unless);
    }

    /** A list of reason names: lower-case letters, digits and '_'. */
    private static List<String> reasonList(Map<String, Object> params, String name) {
        Object value = params.get(name);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list) || list.isEmpty() || list.size() > 32) {
            throw new IllegalArgumentException("param '" + name + "' must be a list of 1-32 reason names");
        }
        List<String> out = new java.util.ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String r) || r.isEmpty() || r.length() > 64
                    || !r.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
                throw new IllegalArgumentException("param '" + name + "' holds '" + item
                        + "', which is not a reason name (like kernel_update)");
            }
            out.add(r);
        }
        return out;
    }

    /**
     * The pending reasons this resource acts on: with {@code onlyif} only those listed, with
     * {@code unless} all but those listed (Puppet's reboot type has the same two).
     */
    List<String> relevantReasons(PendingState state) {
        return state.reasonNames().stream()
                .filter(r -> onlyif.isEmpty() || onlyif.contains(r))
                .filter(r -> !unless.contains(r))
                .toList();
    }

    public Decision decide(PendingState state) {
        boolean reboot = when == When.REFRESHED || !relevantReasons(state).isEmpty();
        if (!reboot) {
            return Decision.NOT_PENDING;
        }
        return noop ? Decision.WOULD_REBOOT : Decision.REBOOT;
    }

    /** The resource and its outcome as it goes back in {@code data.resource}. */
    public Map<String, Object> report(PendingState state, Decision decision, String action) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("type", "reboot");
        map.put("when", when.wireName());
        map.put("noop", noop);
        map.put("delay_s", delay.toSeconds());
        map.put("message", message);
        map.put("pending", state.pending());
        map.put("reasons", state.reasonNames());
        if (!onlyif.isEmpty()) {
            map.put("onlyif", onlyif);
        }
        if (!unless.isEmpty()) {
            map.put("unless", unless);
        }
        map.put("outcome", switch (decision) {
            case REBOOT -> "scheduled";
            case WOULD_REBOOT -> "would_reboot";
            case NOT_PENDING -> "not_pending";
        });
        if (action != null) {
            map.put("action", action);
        }
        return map;
    }
}
