package io.orch.cli.output;

import io.orch.cli.run.NodeResult;
import io.orch.cli.run.RunListener;
import io.orch.cli.run.RunReport;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One line on a terminal's stderr, redrawn in place while a run lasts, e.g.
 * {@code orch batch 2/10: 100 nodes, 97 replied, 12 rebooting, 80 back, 1 failed, 42s} (ASCII, so any
 * locale shows it), and
 * erased before the report is printed. Only used when {@link Terminal#interactive()}.
 */
public final class ProgressLine implements RunListener, AutoCloseable {
    private final PrintWriter err;
    private final String action;
    private final long start = System.nanoTime();
    private final Map<String, String> state = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "orch-progress");
        t.setDaemon(true);
        return t;
    });
    private volatile String phase = "discovering";
    private volatile int targets;
    private volatile boolean closed;

    public ProgressLine(PrintWriter err, String action) {
        this.err = err;
        this.action = action;
        ticker.scheduleAtFixedRate(this::draw, 0, 250, TimeUnit.MILLISECONDS);
    }

    @Override
    public void discovered(String requestId, int matched, long notMatched, List<String> noResponse, long elapsedMs) {
        targets = matched;
        phase = "discovered";
    }

    @Override
    public void batchStarted(int number, int batches, String requestId, List<String> nodes) {
        phase = batches > 1 ? "batch " + number + "/" + batches : action;
    }

    @Override
    public void node(NodeResult node) {
        state.put(node.identity(), node.status());
    }

    @Override
    public void sleeping(long millis) {
        phase = "sleeping " + millis / 1000 + "s before the next batch";
    }

    @Override
    public void finished(RunReport report) {
        close();
    }

    private synchronized void draw() {
        if (closed) {
            return;
        }
        long replied = state.values().stream().filter(s -> !s.equals(NodeResult.NOT_STARTED) && !s.equals(NodeResult.NO_RESPONSE)).count();
        long rebooting = count("rebooting");
        long back = count(NodeResult.REBOOTED);
        long failed = state.values().stream().filter(NodeResult::isFailure).count();
        long missing = count(NodeResult.NO_RESPONSE) + count(NodeResult.NOT_BACK);
        StringBuilder line = new StringBuilder("orch ").append(phase);
        if (targets > 0) {
            line.append(": ").append(targets).append(" nodes, ").append(replied).append(" replied");
        }
        if (rebooting > 0) {
            line.append(", ").append(rebooting).append(" rebooting");
        }
        if (back > 0) {
            line.append(", ").append(back).append(" back");
        }
        if (failed > 0) {
            line.append(", ").append(failed).append(" failed");
        }
        if (missing > 0) {
            line.append(", ").append(missing).append(" missing");
        }
        line.append(", ").append(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).append('s');
        err.print("\r\u001b[K" + line);
        err.flush();
    }

    private long count(String status) {
        return state.values().stream().filter(status::equals).count();
    }

    /** Stops redrawing and erases the line. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ticker.shutdownNow();
        err.print("\r\u001b[K");
        err.flush();
    }
}
