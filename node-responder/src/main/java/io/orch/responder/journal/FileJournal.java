package io.orch.responder.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orch.protocol.payload.Reason;
import io.orch.protocol.Limits;
import io.orch.responder.state.StateFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The journal as two small JSON files in the state folder: {@code pending-reboot.json} and
 * {@code last-reboot.json}, in the node's {@link StateFolder}. Each write goes to a new file with
 * a random name that is fsynced and then renamed over the old one, and the folder is fsynced, so
 * a crash leaves the old or the new file, never half of one; no file is written or read through a
 * symlink, and every file is its owner's only.
 */
public final class FileJournal implements Journal {
    private static final String PENDING = "pending-reboot.json";
    private static final String LAST = "last-reboot.json";

    private final StateFolder folder;
    private final Path dir;
    /** Shared: a mapper holds no journal's state, and a node's own would cost some 20 KB (the lab runs thousands). */
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The journal in a folder opened (and checked) by {@link StateFolder#open}. */
    public FileJournal(StateFolder folder) {
        this.folder = folder;
        this.dir = folder.dir();
    }

    /** The journal in {@code dir}, unchecked: for tools and tests that read a node's journal. */
    public FileJournal(Path dir) {
        this(StateFolder.unchecked(dir));
    }

    public Path dir() {
        return dir;
    }

    /**
     * Proves the entry can be recorded now: written with fsync to a new file beside the journal, then
     * removed. A node checks this before it answers {@code scheduled}, so that a full or read-only
     * state folder gives a failed reply rather than a promise it could not keep.
     */
    @Override
    public synchronized void checkWritable(JournalEntry entry) throws IOException {
        try {
            folder.probe(PENDING, JSON.writeValueAsBytes(node(entry)));
        } catch (IOException e) {
            throw cannotWrite(e);
        }
    }

    /** One wording for the reply and the event: the folder, and the OS's reason. */
    private IOException cannotWrite(IOException e) {
        return new IOException("cannot write the journal in the state folder " + dir + " (" + StateFolder.why(e)
                + ")", e);
    }

    @Override
    public synchronized Optional<JournalEntry> pending() throws IOException {
        JsonNode node = read(PENDING);
        if (node == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new JournalEntry(text(node, "request_id"), text(node, "caller"), text(node, "sender"),
                    text(node, "boot_id"), reasons(node), node.path("delay_s").asLong(), time(node, "scheduled_at"),
                    time(node, "executed_at"), time(node, "stopped_at")));
        } catch (RuntimeException e) {
            throw damaged(PENDING, e);
        }
    }

    @Override
    public synchronized void record(JournalEntry entry) throws IOException {
        write(PENDING, node(entry));
    }

    private ObjectNode node(JournalEntry entry) {
        ObjectNode node = JSON.createObjectNode();
        node.put("request_id", entry.requestId());
        node.put("caller", entry.caller());
        node.put("sender", entry.sender());
        node.put("boot_id", entry.bootId());
        node.set("reasons", JSON.valueToTree(entry.reasons()));
        node.put("delay_s", entry.delayS());
        node.put("scheduled_at", entry.scheduledAt().toString());
        node.put("executed_at", entry.executedAt() == null ? null : entry.executedAt().toString());
        node.put("stopped_at", entry.stoppedAt() == null ? null : entry.stoppedAt().toString());
        return node;
    }

    @Override
    public synchronized void clear() throws IOException {
        folder.delete(PENDING);
    }

    @Override
    public synchronized Optional<LastReboot> last() throws IOException {
        JsonNode node = read(LAST);
        if (node == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LastReboot(text(node, "request_id"), time(node, "rebooted_at"), reasons(node),
                    node.path("loop_suspected").asBoolean(), textOrNull(node, "old_boot_id"),
                    textOrNull(node, "new_boot_id"), names(node, "pending_after")));
        } catch (RuntimeException e) {
            throw damaged(LAST, e);
        }
    }

    /** A field missing or of the wrong kind (a time that is not one): as damaged as bad JSON, and said the same way. */
    private IOException damaged(String name, RuntimeException e) {
        return new IOException("journal file " + dir.resolve(name) + " is damaged: " + e.getMessage(), e);
    }

    @Override
    public synchronized void recordLast(LastReboot last) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("request_id", last.requestId());
        node.put("rebooted_at", last.rebootedAt().toString());
        node.set("reasons", JSON.valueToTree(last.reasonsBefore()));
        node.put("loop_suspected", last.loopSuspected());
        node.put("old_boot_id", last.oldBootId());
        node.put("new_boot_id", last.newBootId());
        node.set("pending_after", last.pendingAfter() == null ? null : JSON.valueToTree(last.pendingAfter()));
        write(LAST, node);
    }

    private JsonNode read(String name) throws IOException {
        Path file = dir.resolve(name);
        byte[] bytes = folder.read(name, Limits.MAX_STATE_FILE_BYTES);
        if (bytes == null) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject() || !node.path("request_id").isTextual()) {
                throw new IOException("journal file " + file + " is not a journal entry");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException("journal file " + file + " is damaged: " + e.getOriginalMessage(), e);
        }
    }

    private void write(String name, ObjectNode node) throws IOException {
        try {
            folder.replace(name, JSON.writeValueAsBytes(node));
        } catch (IOException e) {
            throw cannotWrite(e);
        }
    }

    private static String text(JsonNode node, String field) {
        return node.path(field).isTextual() ? node.path(field).asText() : "";
    }

    /** Null when absent: older journals do not hold the field. */
    private static String textOrNull(JsonNode node, String field) {
        return node.path(field).isTextual() ? node.path(field).asText() : null;
    }

    /**
     * A list of names, or null when absent (older journals) or not names. The field only informs
     * {@code orch status}; a damaged one must not make the whole record unreadable, which would
     * set the loop guard to "unknown" and refuse every reboot of the node.
     */
    private static List<String> names(JsonNode node, String field) {
        JsonNode names = node.path(field);
        if (!names.isArray()) {
            return null;
        }
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode name : names) {
            if (!name.isTextual()) {
                return null;
            }
            out.add(name.asText());
        }
        return out;
    }

    private static Instant time(JsonNode node, String field) {
        return node.path(field).isTextual() ? Instant.parse(node.path(field).asText()) : null;
    }

    /**
     * The reasons as written, read leniently: a journal from another orch version may hold fields this
     * one does not know, or lack {@code detail} or {@code evidence}. Only a reason that is not an object
     * makes the record damaged, as before.
     */
    @SuppressWarnings("unchecked")
    private List<Reason> reasons(JsonNode node) {
        JsonNode reasons = node.path("reasons");
        if (!reasons.isArray()) {
            return List.of();
        }
        List<Reason> out = new java.util.ArrayList<>();
        for (JsonNode reason : reasons) {
            if (!reason.isObject()) {
                throw new IllegalArgumentException("reasons must be objects, found " + reason.getNodeType());
            }
            JsonNode evidence = reason.path("evidence");
            out.add(new Reason(reason.path("name").isTextual() ? reason.path("name").asText() : "",
                    reason.path("detail").isTextual() ? reason.path("detail").asText() : "",
                    evidence.isObject() ? JSON.convertValue(evidence, Map.class) : Map.of()));
        }
        return out;
    }
}
