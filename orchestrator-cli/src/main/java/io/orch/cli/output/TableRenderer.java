package io.orch.cli.output;

import io.orch.cli.run.InventorySummary;
import io.orch.cli.run.NodeResult;
import io.orch.cli.run.RunReport;
import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A plain table, one node a line, then the summary. Fixed columns so {@code awk} can read it;
 * a BATCH column when the run had more than one batch. A run that stopped early ends with what
 * is still scheduled and how to cancel it. Whatever a node wrote goes through {@link SafeText}.
 */
public final class TableRenderer {
    private TableRenderer() {
    }

    public static void render(RunReport report, PrintWriter out) {
        render(report, out, Terminal.PLAIN, null);
    }

    /** @param cancelHint the command line that cancels, without the request ids (e.g. {@code orch cancel --broker URL}) */
    public static void render(RunReport report, PrintWriter out, Terminal terminal, String cancelHint) {
        if (report.nodes().isEmpty()) {
            out.println(report.nobodyAnswered()
                    ? "No node answered. Is a responder running in this collective, on this broker?"
                    : "No node matched the filter (" + report.notMatched() + " answered and did not match).");
            out.println();
            out.println(summary(report));
            inventoryNote(report, out);
            out.flush();
            return;
        }
        boolean batched = report.batches().size() > 1;
        int width = "IDENTITY".length();
        int statusWidth = "STATUS".length();
        for (NodeResult node : report.nodes()) {
            width = Math.max(width, SafeText.field(node.identity()).length());
            statusWidth = Math.max(statusWidth, label(node.status()).length());
        }
        String identityFormat = "%-" + width + "s  ";
        String batchFormat = batched ? "%-5s  " : "";
        String statusFormat = "%-" + statusWidth + "s";
        out.printf(identityFormat + batchFormat + statusFormat + "  %s%n", header(batched));
        for (NodeResult node : report.nodes()) {
            String status = terminal.status(node.status(), String.format(statusFormat, label(node.status())));
            if (batched) {
                out.printf(identityFormat + batchFormat + "%s  %s%n", SafeText.field(node.identity()),
                        node.batch() > 0 ? Integer.toString(node.batch()) : "-", status,
                        SafeText.field(node.message()));
            } else {
                out.printf(identityFormat + "%s  %s%n", SafeText.field(node.identity()), status,
                        SafeText.field(node.message()));
            }
        }
        out.println();
        out.println(summary(report));
        inventoryNote(report, out);
        // A run that went to its end without waiting leaves its reboots scheduled: that is the plan, not news.
        boolean waited = Boolean.TRUE.equals(report.options().get("wait"));
        if (report.stopReason() != null || waited) {
            List<NodeResult> inFlight = report.inFlight();
            if (!inFlight.isEmpty()) {
                out.println("Still scheduled, not seen back: " + inFlight.stream().map(n -> SafeText.field(n.identity()))
                        .collect(Collectors.joining(", ")));
                String ids = inFlight.stream().map(NodeResult::requestId).distinct().collect(Collectors.joining(" "));
                out.println("These reboots go ahead. To stop those still in their delay: "
                        + (cancelHint == null ? "orch cancel" : cancelHint) + " " + ids);
            }
        }
        out.flush();
    }

    /** Without an inventory, the table cannot list who stayed silent: it says so under the summary. */
    private static void inventoryNote(RunReport report, PrintWriter out) {
        if (report.inventory() != null && InventorySummary.NONE.equals(report.inventory().source())) {
            out.println(SafeText.field(report.inventory().note()));
        }
    }

    private static Object[] header(boolean batched) {
        return batched ? new Object[] {"IDENTITY", "BATCH", "STATUS", "DETAIL"}
                : new Object[] {"IDENTITY", "STATUS", "DETAIL"};
    }

    private static String summary(RunReport report) {
        String summary = report.summaryLine();
        return report.notMatched() > 0 ? summary + " (" + report.notMatched() + " did not match)" : summary;
    }

    static String label(String status) {
        return status.replace('_', ' ');
    }
}
