package io.orch.responder.pending.windows;

import io.orch.responder.pending.PendingDetector;
import io.orch.protocol.payload.Reason;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * PowerShell DSC's local configuration manager waits for a reboot: its {@code LCMState} is
 * {@code PendingReboot}. The expression prints {@code True} or {@code False}; a node without DSC
 * (the command fails) is not pending, anything else printed is an error.
 * Evidence: the {@code lcm_state}.
 */
final class DscLcm implements PendingDetector {
    static final String EXPRESSION = "(Get-DscLocalConfigurationManager).LCMState -eq 'PendingReboot'";

    private final PowerShell powershell;

    DscLcm(PowerShell powershell) {
        this.powershell = Objects.requireNonNull(powershell, "powershell == null");
    }

    @Override
    public String name() {
        return "dsc";
    }

    @Override
    public Optional<Reason> detect() throws IOException, InterruptedException {
        Optional<String> output = powershell.answer(EXPRESSION);
        if (output.isEmpty()) {
            return Optional.empty(); // no DSC on this node
        }
        String answer = output.get().replace("\uFEFF", "").strip();
        if (answer.equalsIgnoreCase("False")) {
            return Optional.empty();
        }
        if (!answer.equalsIgnoreCase("True")) {
            throw new IOException("DSC LCMState check printed neither True nor False: " + PowerShell.shown(answer));
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("lcm_state", "PendingReboot");
        return Optional.of(new Reason(name(), "the DSC local configuration manager is in state PendingReboot",
                evidence));
    }
}
