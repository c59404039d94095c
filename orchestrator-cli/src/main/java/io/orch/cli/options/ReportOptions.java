package io.orch.cli.options;

import io.orch.cli.UsageException;
import io.orch.cli.config.WebhookAddress;
import io.orch.protocol.Limits;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a run's result goes besides stdout: a report file, a webhook. */
public final class ReportOptions {
    @Option(names = "--report-file", paramLabel = "PATH",
            description = "Also write the --json report to PATH when the run ends (replaced whole), whatever "
                    + "stdout shows: a timer job keeps the table in its log and the report beside it. Exit code 6 "
                    + "when the run went well but the file could not be written.")
    Path reportFile;

    @Option(names = "--notify", paramLabel = "URL",
            description = "When the run ends, post its summary as JSON to this webhook: a Slack-compatible 'text' "
                    + "and the figures under 'orch' (also ORCH_NOTIFY, or notify: in client.yaml). Waits at most "
                    + Limits.NOTIFY_TIMEOUT_MS / 1000 + "s; never changes the exit code.")
    String notify;

    /** The report file, or null. */
    public Path reportFile() {
        return reportFile;
    }

    /** The webhook, or null; call {@link #check} first. */
    public URI webhook() {
        return notify == null ? null : WebhookAddress.of(notify);
    }

    /** Called before anything is sent: a report that could not be kept is better known before a reboot. */
    public void check() {
        if (notify != null) {
            String problem = WebhookAddress.problem(notify);
            if (problem != null) {
                throw new UsageException("--notify: " + problem);
            }
        }
        if (reportFile == null) {
            return;
        }
        Path file = reportFile.toAbsolutePath();
        Path folder = file.getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new UsageException("--report-file " + reportFile + ": the folder " + folder
                    + " does not exist; create it first (mkdir -p)");
        }
        if (Files.isDirectory(file)) {
            throw new UsageException("--report-file " + reportFile + " is a folder; give a file name in it, e.g. "
                    + reportFile.resolve("reboot.json"));
        }
        if (!Files.isWritable(folder)) {
            throw new UsageException("--report-file " + reportFile + ": the folder " + folder
                    + " cannot be written by this user");
        }
    }
}
