package io.orch.protocol.bus;

import com.google.re2j.Pattern;
import java.util.Objects;

/**
 * Destination names of one collective. All are topics: a request to a node that is not
 * there is dropped rather than queued, so nothing stale can reach it after it comes back.
 */
public record Destinations(String collective) {

    public static final String DEFAULT_COLLECTIVE = "orch";

    // No ActiveMQ wildcards ('*', '>') and no separators that would let one name reach another's.
    private static final Pattern COLLECTIVE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern IDENTITY = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,252}");

    public Destinations {
        Objects.requireNonNull(collective, "collective == null");
        if (!COLLECTIVE.matches(collective)) {
            throw new IllegalArgumentException("invalid collective '" + collective
                    + "': use 1-64 letters, digits, '_' or '-'");
        }
    }

    /** Null when the identity can be used in a destination name, else why not. */
    public static String identityProblem(String identity) {
        if (identity == null || !IDENTITY.matches(identity)) {
            return "invalid identity '" + identity + "': use letters, digits, '.', '_' or '-' (no wildcards)";
        }
        return null;
    }

    public String broadcast() {
        return collective + ".broadcast";
    }

    public String node(String identity) {
        String problem = identityProblem(identity);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return collective + ".node." + identity;
    }

    public String events() {
        return collective + ".events";
    }

    public String registry(String identity) {
        String problem = identityProblem(identity);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return collective + ".registry." + identity;
    }

    /** All registry announcements of the collective, for an inventory listener. */
    public String registryWildcard() {
        return collective + ".registry.>";
    }
}
