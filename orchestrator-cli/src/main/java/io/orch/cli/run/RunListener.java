package io.orch.cli.run;

import java.util.List;

/**
 * Hears a run as it happens, for what is printed while it lasts: the progress line on a
 * terminal and {@code --jsonl}. The final report is printed from {@link RunReport} alone.
 */
public interface RunListener {
    RunListener NONE = new RunListener() {
    };

    default void discovered(String requestId, int matched, long notMatched, List<String> noResponse, long elapsedMs) {
    }

    default void batchStarted(int number, int batches, String requestId, List<String> nodes) {
    }

    /** A node's state changed: its reply, {@code rebooting}, back, failed, or not back in time. */
    default void node(NodeResult node) {
    }

    default void batchDone(BatchResult batch) {
    }

    /** Waiting between batches ({@code --batch-sleep}). */
    default void sleeping(long millis) {
    }

    /** Something the person running orch should know that is not a node's state (stderr: {@code orch: warning: ...}). */
    default void warning(String why) {
    }

    default void finished(RunReport report) {
    }

    /** Tells each of {@code listeners}, in order. */
    static RunListener all(List<RunListener> listeners) {
        List<RunListener> copy = List.copyOf(listeners);
        return new RunListener() {
            @Override
            public void discovered(String requestId, int matched, long notMatched, List<String> noResponse,
                                   long elapsedMs) {
                copy.forEach(l -> l.discovered(requestId, matched, notMatched, noResponse, elapsedMs));
            }

            @Override
            public void batchStarted(int number, int batches, String requestId, List<String> nodes) {
                copy.forEach(l -> l.batchStarted(number, batches, requestId, nodes));
            }

            @Override
            public void node(NodeResult node) {
                copy.forEach(l -> l.node(node));
            }

            @Override
            public void batchDone(BatchResult batch) {
                copy.forEach(l -> l.batchDone(batch));
            }

            @Override
            public void sleeping(long millis) {
                copy.forEach(l -> l.sleeping(millis));
            }

            @Override
            public void warning(String why) {
                copy.forEach(l -> l.warning(why));
            }

            @Override
            public void finished(RunReport report) {
                copy.forEach(l -> l.finished(report));
            }
        };
    }
}
