package io.orch.cli.inventory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The known nodes of one run: this host's record ({@link InventoryCache}) brought up to date with the
 * announcements the broker holds. A node whose latest state is {@code up} or {@code rebooting} is
 * expected to answer; one that stopped cleanly is not.
 *
 * <p>The bus's announcements are taken on trust only until the run knows who answered: then
 * {@link #settle} checks the signature of every one, falling back to what the record knew for any that
 * fails (or, for a node that answered, to "up now"). So a forged announcement can cost a run time, but
 * cannot make a silent node vanish from its report, in this run or a later one.
 */
public final class Inventory {
    private record News(KnownNode node, Announced source) {
    }

    private final InventoryCache cache;
    /** Announcements newer than the record's, by node: not yet checked. */
    private final Map<String, News> news = new TreeMap<>();
    private final String note;

    private Inventory(InventoryCache cache, String note) {
        this.cache = cache;
        this.note = note;
    }

    /**
     * @param bus  the announcements the broker holds, unchecked
     * @param note why the bus gave none (no barrier came back), or null
     */
    public static Inventory of(InventoryCache cache, Collection<? extends Announced> bus, String note, Instant now) {
        Objects.requireNonNull(cache, "cache == null");
        Inventory inventory = new Inventory(cache, note);
        cache.expire(now);
        for (Announced announced : bus) {
            KnownNode node = announced.node().notAfter(now);
            if (cache.tooOld(node.announcedAt(), now) || !cache.isNews(node)) {
                continue;
            }
            News earlier = inventory.news.get(node.identity());
            if (earlier == null || node.announcedAt().isAfter(earlier.node().announcedAt())) {
                inventory.news.put(node.identity(), new News(node, announced));
            }
        }
        return inventory;
    }

    /** True when nothing is known: no node in the record, none on the bus. */
    public boolean isEmpty() {
        return cache.isEmpty() && news.isEmpty();
    }

    /** Why the broker gave no announcements, or null when it did (or had none to give). */
    public String note() {
        return note;
    }

    /** The latest word of {@code identity}: the bus's when newer, else the record's. */
    public Optional<KnownNode> node(String identity) {
        News latest = news.get(identity);
        return latest != null ? Optional.of(latest.node()) : cache.node(identity);
    }

    /** Every known node, by identity. */
    public List<KnownNode> nodes() {
        Map<String, KnownNode> all = new TreeMap<>();
        cache.nodes().forEach(node -> all.put(node.identity(), node));
        news.forEach((identity, latest) -> all.put(identity, latest.node()));
        return List.copyOf(all.values());
    }

    /** The nodes a run waits for: latest state up or rebooting. */
    public Set<String> expected() {
        Set<String> expected = new LinkedHashSet<>();
        nodes().stream().filter(node -> node.state().expected()).forEach(node -> expected.add(node.identity()));
        return expected;
    }

    /** Nodes whose latest state is stopped: not waited for. */
    public List<KnownNode> stopped() {
        return nodes().stream().filter(node -> !node.state().expected()).toList();
    }

    /**
     * Decides what of the bus's word to believe, once the run knows who {@code answered}: every
     * announcement is checked, and one that fails is dropped. A node that answered is up whatever a
     * failed announcement said (its signed reply proves it), so it goes into the record as {@code up}
     * now; for any other node the record's entry stands. Everything believed goes into the record, so a
     * forged word never reaches it (a forged "stopped" of a node that answers today must not hide it
     * tomorrow, when it is silent).
     *
     * @return the nodes whose announcement failed its check
     */
    public List<String> settle(Set<String> answered, Instant now) {
        List<String> refused = new ArrayList<>();
        news.forEach((identity, latest) -> {
            if (latest.source().verify() == null) {
                cache.learn(latest.node());
                return;
            }
            refused.add(identity);
            if (answered.contains(identity)) {
                KnownNode before = cache.node(identity).orElse(null);
                cache.learn(new KnownNode(identity, NodeState.UP, now, before == null ? null : before.version(),
                        null, null, before == null ? 0 : before.intervalS()));
            }
        });
        news.clear();
        return refused;
    }

    /**
     * Checks every announcement from the bus and keeps those that pass: for {@code orch inventory}, which
     * lists every node and has no replies to go by.
     *
     * @return the nodes whose announcement failed its check
     */
    public List<String> settleAll() {
        return settle(Set.of(), Instant.EPOCH);
    }

    /** The record behind it, to save once settled. */
    public InventoryCache cache() {
        return cache;
    }
}
