package io.orch.cli.output;

import java.io.PrintWriter;

/** A plain table, one node a line, then the summary. Fixed columns so {@code awk} can read it. */
public final class TableRenderer {
    private TableRenderer() {
    }

    public static void render(RunReport report, PrintWriter out) {
        if (report.nodes().isEmpty()) {
            out.println(report.nobodyAnswered()
                    ? "No node answered. Is a responder running in this collective, on this broker?"
                    : "No node matched the filter (" + report.notMatched() + " answered and did not match).");
            out.println();
            out.println(summary(report));
            out.flush();
            return;
        }
        int width = "IDENTITY".length();
        int statusWidth = "STATUS".length();
        for (NodeResult node : report.nodes()) {
            width = Math.max(width, node.identity().length());
            statusWidth = Math.max(statusWidth, label(node.status()).length());
        }
        String format = "%-" + width + "s  %-" + statusWidth + "s  %s%n";
        out.printf(format, "IDENTITY", "STATUS", "DETAIL");
        for (NodeResult node : report.nodes()) {
            out.printf(format, node.identity(), label(node.status()), node.message());
        }
        out.println();
        out.println(summary(report));
        out.flush();
    }

    private static String summary(RunReport report) {
        String summary = report.summaryLine();
        return report.notMatched() > 0 ? summary + " (" + report.notMatched() + " did not match)" : summary;
    }

    static String label(String status) {
        return status.replace('_', ' ');
    }
}
