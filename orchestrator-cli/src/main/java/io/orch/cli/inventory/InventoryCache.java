package io.orch.cli.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orch.protocol.Limits;
import io.orch.protocol.bus.BrokerUrl;
import io.orch.protocol.bus.Destinations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The known nodes of one collective on one broker, as this host last learned them from the bus, kept
 * in {@code <state dir>/inventory-<collective>-<broker hash>.json}. The broker keeps the latest
 * announcement of every node only while it runs: after a restart, a node that was killed while it
 * was down would be gone from the bus, and only this record still expects it.
 *
 * <p>Rules: a newer announcement replaces an older one; a node not heard of for
 * {@code inventory_forget_after} is dropped; a forgotten node ({@code orch inventory --forget}) stays
 * forgotten until it announces again (its older announcements, which the broker may still hold, are
 * ignored). Keyed by broker as well as collective: two sites may both use the default collective.
 * Losing the file loses only what the bus no longer holds, so read and write problems never fail a run.
 */
public final class InventoryCache {
    static final String PROTOCOL = "orch.inventory-cache.v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final String collective;
    private final String broker;
    private final Duration forgetAfter;
    private final Map<String, KnownNode> nodes = new TreeMap<>();
    /** Forgotten nodes and when: announcements up to then are ignored. */
    private final Map<String, Instant> forgotten = new TreeMap<>();

    private InventoryCache(Path file, String collective, String broker, Duration forgetAfter) {
        this.file = file;
        this.collective = collective;
        this.broker = broker;
        this.forgetAfter = forgetAfter;
    }

    /**
     * The record for {@code collective} on {@code brokerUrl} under {@code stateDir}; missing or unreadable is empty.
     *
     * @param forgetAfter a node not heard of for this long is dropped ({@code inventory_forget_after})
     */
    public static InventoryCache load(Path stateDir, String collective, String brokerUrl, Duration forgetAfter) {
        new Destinations(collective); // a name that cannot reach outside the folder
        if (forgetAfter.isNegative() || forgetAfter.isZero()) {
            throw new IllegalArgumentException("forgetAfter must be more than 0, got " + forgetAfter);
        }
        String broker = BrokerUrl.redact(brokerUrl.trim());
        InventoryCache cache = new InventoryCache(stateDir.resolve("inventory-" + collective + "-" + hash(broker)
                + ".json"), collective, broker, forgetAfter);
        try {
            if (Files.isRegularFile(cache.file)) {
                cache.read(JSON.readTree(cache.file.toFile()));
            }
        } catch (IOException | RuntimeException e) {
            // a damaged record loses only what the bus no longer holds; the next save replaces it
        }
        return cache;
    }

    private void read(JsonNode root) {
        if (!PROTOCOL.equals(root.path("protocol").asText())) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("nodes").fields(); it.hasNext()
                && nodes.size() < Limits.MAX_CLI_INVENTORY_NODES; ) {
            Map.Entry<String, JsonNode> entry = it.next();
            try {
                JsonNode n = entry.getValue();
                NodeState state = NodeState.ofWireName(n.path("state").asText()).orElseThrow();
                nodes.put(entry.getKey(), new KnownNode(entry.getKey(), state, Instant.parse(n.path("announced_at")
                        .asText()), text(n, "version"), text(n, "boot_id"), instant(n, "started_at"),
                        n.path("interval_s").asLong(0)));
            } catch (RuntimeException e) {
                // one bad entry: forget it
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("forgotten").fields(); it.hasNext()
                && forgotten.size() < Limits.MAX_CLI_INVENTORY_NODES; ) {
            Map.Entry<String, JsonNode> entry = it.next();
            try {
                if (Destinations.identityProblem(entry.getKey()) == null) {
                    forgotten.put(entry.getKey(), Instant.parse(entry.getValue().asText()));
                }
            } catch (RuntimeException e) {
                // one bad entry: forget it
            }
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() || value.asText().length() > Limits.MAX_CLI_FIELD_CHARS ? null
                : value.asText();
    }

    private static Instant instant(JsonNode node, String field) {
        String value = text(node, field);
        return value == null ? null : Instant.parse(value);
    }

    /** Where it is kept. */
    public Path file() {
        return file;
    }

    /** The broker it is about, credentials removed. */
    public String broker() {
        return broker;
    }

    public String collective() {
        return collective;
    }

    public boolean isEmpty() {
        return nodes.isEmpty();
    }

    public Optional<KnownNode> node(String identity) {
        return Optional.ofNullable(nodes.get(identity));
    }

    /** Every known node, by identity. */
    public List<KnownNode> nodes() {
        return List.copyOf(nodes.values());
    }

    /** True when {@link #learn} would take {@code node}: newer than what is known, and not forgotten since. */
    public boolean isNews(KnownNode node) {
        Instant forgottenAt = forgotten.get(node.identity());
        if (forgottenAt != null && !node.announcedAt().isAfter(forgottenAt)) {
            return false;
        }
        KnownNode known = nodes.get(node.identity());
        if (known == null) {
            return nodes.size() < Limits.MAX_CLI_INVENTORY_NODES;
        }
        return node.announcedAt().isAfter(known.announcedAt());
    }

    /** Takes {@code node} when it is {@linkplain #isNews news}. @return whether it did */
    public boolean learn(KnownNode node) {
        if (!isNews(node)) {
            return false;
        }
        nodes.put(node.identity(), node);
        forgotten.remove(node.identity()); // it announced again since
        return true;
    }

    /**
     * Forgets {@code identity} now: dropped from the record, and what it announced until now ignored
     * from here on (the broker may still hold it). It comes back when it announces again.
     *
     * @return what was known of it, if anything
     */
    public Optional<KnownNode> forget(String identity, Instant now) {
        String problem = Destinations.identityProblem(identity);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        forgotten.put(identity, now);
        return Optional.ofNullable(nodes.remove(identity));
    }

    /** How long a node may go unheard of before it is dropped. */
    public Duration forgetAfter() {
        return forgetAfter;
    }

    /**
     * Drops the nodes not heard of for {@link #forgetAfter} (and the forgotten marks as old: an announcement
     * that old is ignored anyway).
     *
     * @return the nodes dropped
     */
    public List<KnownNode> expire(Instant now) {
        Instant horizon = now.minus(forgetAfter);
        List<KnownNode> dropped = new ArrayList<>();
        nodes.values().removeIf(node -> {
            boolean old = node.announcedAt().isBefore(horizon);
            if (old) {
                dropped.add(node);
            }
            return old;
        });
        forgotten.values().removeIf(at -> at.isBefore(horizon));
        return dropped;
    }

    /** True when an announcement made at {@code at} is too old to keep at {@code now}. */
    public boolean tooOld(Instant at, Instant now) {
        return at.isBefore(now.minus(forgetAfter));
    }

    /** Writes the record atomically. @return null when saved, else why not (for a warning) */
    public String save() {
        try {
            Files.createDirectories(file.getParent());
            ObjectNode root = JSON.createObjectNode();
            root.put("protocol", PROTOCOL);
            root.put("collective", collective);
            root.put("broker", broker);
            ObjectNode all = root.putObject("nodes");
            nodes.forEach((identity, node) -> {
                ObjectNode n = all.putObject(identity);
                n.put("state", node.state().wireName());
                n.put("announced_at", node.announcedAt().toString());
                putText(n, "version", node.version());
                putText(n, "boot_id", node.bootId());
                putText(n, "started_at", node.startedAt() == null ? null : node.startedAt().toString());
                n.put("interval_s", node.intervalS());
            });
            ObjectNode gone = root.putObject("forgotten");
            forgotten.forEach((identity, at) -> gone.put(identity, at.toString()));
            AtomicFile.write(file, ".inventory", JSON.writeValueAsBytes(root));
            return null;
        } catch (IOException | RuntimeException e) {
            return "cannot record the known nodes in " + file + ": " + e.getMessage();
        }
    }

    private static void putText(ObjectNode node, String field, String value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }

    /** A short name for the broker in the file name: the first 12 hex digits of its URL's SHA-256. */
    private static String hash(String broker) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(broker.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
