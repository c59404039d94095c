package io.orch.cli.run;

import java.util.List;

/**
 * One batch of a rolling run. Times are milliseconds from the start of the run, -1 when the
 * moment never came (no node came back, or the run did not wait).
 *
 * @param number              1-based
 * @param startedMs           when its request was published
 * @param repliedMs           when reply collection ended
 * @param lastBackMs          when its last node came back (with --wait)
 * @param endedMs             when the batch was done: all back, timed out, or the run stopped
 * @param sincePreviousBackMs from the last node of the previous batch coming back to this batch's
 *                            request: the orchestration overhead between batches (includes --batch-sleep)
 * @param outcome             {@code done}, {@code timed_out} (some node not back in time) or {@code interrupted}
 */
public record BatchResult(int number, String requestId, List<String> nodes, long startedMs, long repliedMs,
                          long lastBackMs, long endedMs, long sincePreviousBackMs, String outcome) {
    public BatchResult {
        nodes = List.copyOf(nodes);
    }
}
