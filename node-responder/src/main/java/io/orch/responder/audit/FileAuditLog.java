package io.orch.responder.audit;

import io.orch.trust.Verifier;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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

    private final Path file;
    private final long maxBytes;
    private final ObjectMapper json = new ObjectMapper();

    public FileAuditLog(Path file, long maxBytes) {
        this.file = file;
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
            Files.createDirectories(file.getParent());
            if (Files.exists(file) && Files.size(file) + bytes.length > maxBytes) {
                Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (JsonProcessingException e) {
            log.warn("cannot write audit line for request {}: {}", requestId, e.getMessage());
        } catch (IOException e) {
            log.warn("cannot append to audit log {}: {}", file, e.getMessage());
        }
    }
}
