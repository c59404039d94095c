package io.orch.responder.pending.windows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.orch.responder.pending.PendingDetector;
import io.orch.protocol.payload.Reason;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Configuration Manager (SCCM / MECM) client has a reboot pending: its client SDK's
 * {@code CCM_ClientUtilities.DetermineIfRebootPending} says {@code RebootPending} or
 * {@code IsHardRebootPending}. Asked through PowerShell and WMI; a node without the client (the
 * command fails, or the namespace is not there) is not pending. Output that is not the method's
 * answer is an error, so is a non-zero {@code ReturnValue}. Evidence: both flags, and the deadline
 * and grace period when the client gives them.
 */
final class CcmClient implements PendingDetector {
    static final String NAMESPACE = "root/ccm/ClientSDK";
    static final String EXPRESSION = "(Invoke-CimMethod -Namespace " + NAMESPACE
            + " -ClassName CCM_ClientUtilities -MethodName DetermineIfRebootPending) | ConvertTo-Json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PowerShell powershell;

    CcmClient(PowerShell powershell) {
        this.powershell = Objects.requireNonNull(powershell, "powershell == null");
    }

    @Override
    public String name() {
        return "ccm_client";
    }

    @Override
    public Optional<Reason> detect() throws IOException, InterruptedException {
        Optional<String> output = powershell.answer(EXPRESSION);
        if (output.isEmpty()) {
            return Optional.empty(); // no CCM client on this node
        }
        JsonNode answer = parse(output.get());
        JsonNode returnValue = answer.get("ReturnValue");
        if (returnValue != null && !returnValue.isNull() && !(returnValue.isIntegralNumber() && returnValue.asLong() == 0)) {
            throw new IOException("CCM DetermineIfRebootPending returned ReturnValue " + returnValue);
        }
        Boolean soft = flag(answer, "RebootPending");
        Boolean hard = flag(answer, "IsHardRebootPending");
        if (soft == null && hard == null) {
            throw new IOException("CCM DetermineIfRebootPending gave neither RebootPending nor IsHardRebootPending: "
                    + PowerShell.shown(output.get()));
        }
        boolean rebootPending = Boolean.TRUE.equals(soft);
        boolean hardRebootPending = Boolean.TRUE.equals(hard);
        if (!rebootPending && !hardRebootPending) {
            return Optional.empty();
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("namespace", NAMESPACE);
        evidence.put("reboot_pending", rebootPending);
        evidence.put("hard_reboot_pending", hardRebootPending);
        JsonNode deadline = answer.get("RebootDeadline");
        if (deadline != null && deadline.isTextual() && !deadline.asText().isBlank()) {
            evidence.put("reboot_deadline", deadline.asText());
        }
        JsonNode grace = answer.get("InGracePeriod");
        if (grace != null && grace.isBoolean()) {
            evidence.put("in_grace_period", grace.asBoolean());
        }
        return Optional.of(new Reason(name(), "the Configuration Manager client has a "
                + (hardRebootPending ? "hard " : "") + "reboot pending", evidence));
    }

    /** The JSON object in the output; PowerShell may put a byte order mark or a warning line around it. */
    private static JsonNode parse(String output) throws IOException {
        int start = output.indexOf('{');
        int end = output.lastIndexOf('}');
        if (start < 0 || end < start) {
            throw new IOException("CCM DetermineIfRebootPending gave no JSON object: " + PowerShell.shown(output));
        }
        try {
            return JSON.readTree(output.substring(start, end + 1));
        } catch (JsonProcessingException e) {
            throw new IOException("CCM DetermineIfRebootPending gave bad JSON (" + e.getOriginalMessage() + "): "
                    + PowerShell.shown(output));
        }
    }

    /** True or false; null when absent or null; an error for anything else, e.g. the string "True". */
    private static Boolean flag(JsonNode answer, String field) throws IOException {
        JsonNode node = answer.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isBoolean()) {
            throw new IOException("CCM DetermineIfRebootPending gave " + field + " = " + node + ", not true or false");
        }
        return node.asBoolean();
    }
}
