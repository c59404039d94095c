package io.orch.protocol.payload;

import java.util.List;

/** The data of a {@code rebooting} event: the executor starts now, the machine goes down after the delay. */
public record RebootingData(long delaySeconds, List<Reason> reasons) implements EventData {
    public RebootingData {
        reasons = Copies.list(reasons);
    }

    public List<String> reasonNames() {
        return Reason.names(reasons);
    }
}
