package io.orch.protocol.bus;

import com.google.re2j.Pattern;
import io.orch.protocol.Limits;
import java.util.Objects;

/**
 * Destination names of one collective. All are topics: a request to a node that is not
 * there is dropped rather than queued, so nothing stale can reach it after it comes back.
 */
public record Destinations(String collective) {

    public static final String DEFAULT_COLLECTIVE = "orch";

    // No ActiveMQ wildcards ('*', '>') and no separators that would let one name reach another's.
    // Lengths are checked apart: RE2/J compiles a counted repetition such as {0,252} by recursing once
    // per count, which overflowed the responder's 256 KiB thread stack at start.
    private static final Pattern COLLECTIVE = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern IDENTITY = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]*");

    public Destinations {
        Objects.requireNonNull(collective, "collective == null");
        if (collective.length() > Limits.MAX_COLLECTIVE_CHARS || !COLLECTIVE.matches(collective)) {
            throw new IllegalArgumentException("invalid collective '" + collective
                    + "': use 1-" + Limits.MAX_COLLECTIVE_CHARS + " letters, digits, '_' or '-'");
        }
    }

    /** Null when the identity can be used in a destination name, else why not. */
    public static String identityProblem(String identity) {
        if (identity == null || identity.length() > Limits.MAX_IDENTITY_CHARS || !IDENTITY.matches(identity)) {
            return "invalid identity '" + identity + "': use 1-" + Limits.MAX_IDENTITY_CHARS
                    + " letters, digits, '.', '_' or '-' (no wildcards)";
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

    /**
     * Where an inventory reader publishes its marker after subscribing to {@link #registryWildcard()}: the
     * broker hands a subscription its messages in order, so the marker's arrival means every announcement
     * the broker kept has been delivered before it. No node can announce here: {@code ~} is not allowed
     * in an identity. See {@link RegistryBarrier}.
     */
    public String registryBarrier() {
        return collective + ".registry." + RegistryBarrier.NAME;
    }

    /**
     * The identity a registry topic name of this collective belongs to ({@code orch.registry.web01} →
     * {@code web01}), or empty for any other name, the barrier's included. A reader checks it equals the
     * announcement's {@code node}.
     */
    public java.util.Optional<String> registryIdentity(String destinationName) {
        String prefix = collective + ".registry.";
        if (destinationName == null || !destinationName.startsWith(prefix)) {
            return java.util.Optional.empty();
        }
        String identity = destinationName.substring(prefix.length());
        return identityProblem(identity) == null ? java.util.Optional.of(identity) : java.util.Optional.empty();
    }

    /** All registry announcements of the collective, for an inventory listener. */
    public String registryWildcard() {
        return collective + ".registry.>";
    }
}
