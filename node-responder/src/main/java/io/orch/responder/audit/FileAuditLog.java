package io.orch.responder.audit;

import io.orch.trust.Verifier;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import io.orch.responder.state.StateFolder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends one JSON line per request to {@code audit.jsonl}; at {@code maxBytes} the file moves
 * to {@code audit.jsonl.1} (one generation kept), so the log can never fill the disk. A failed
 * write is logged and never stops the request.
 */
public final class FileAuditLog implements AuditLog {
    private static final Logger log = LoggerFactory.getLogger(FileAuditLog.class);
    public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;

    private final StateFolder folder;
    private final String name;
    private final Path file;
    private final long maxBytes;
    private final ObjectMapper json = new ObjectMapper();

    /** The log {@code file}, in a folder that is not checked (tests, tools). */
    public FileAuditLog(Path file, long maxBytes) {
        this(StateFolder.unchecked(file.getParent()), file.getFileName().toString(), maxBytes);
    }

    /** The log {@code name} in the node's state folder: created owner-only (0600), never through a symlink. */
    public FileAuditLog(StateFolder folder, String name, long maxBytes) {
        this.folder = folder;
        this.name = name;
        this.file = folder.resolve(name);
        this.maxBytes = maxBytes;
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void record(Instant time, String requestId, Verifier.Signer caller, String sender, String action,
                                    Map<String, Object> filter, String decision, String message,
                                    List<String> reasons) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", time.toString());
        line.put("request_id", requestId);
        // "caller" is only ever a verified name; a claim that was not verified is kept apart, marked as such.
        line.put("caller", caller.verified() ? caller.name() : null);
        if (!caller.verified()) {
            line.put("claimed_caller", caller.name());
        }
        line.put("sender", sender);
        line.put("action", action);
        line.put("filter", filter);
        line.put("decision", decision);
        line.put("message", message);
        line.put("reasons", reasons);
        try {
            byte[] bytes = (json.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
            if (folder.exists(name) && folder.size(name) + bytes.length > maxBytes) {
                folder.move(name, name + ".1");
            }
            try (FileChannel out = folder.append(name)) {
                folder.write(name, out, ByteBuffer.wrap(bytes));
            }
        } catch (JsonProcessingException e) {
            log.warn("cannot write audit line for request {}: {}", requestId, e.getMessage());
        } catch (IOException e) {
            log.warn("cannot append to audit log {}: {}", file, e.getMessage());
        }
    }
}
