package io.orch.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * orch's exit codes and what each means, written once: {@code --help} lists {@link #TABLE}, the
 * README's table is checked against it, and a run's report picks its code from these constants.
 * Scripts depend on them: never change a meaning, only add.
 */
public final class ExitCode {
    /** Every node answered and none failed (also when nothing matched). */
    public static final int OK = 0;
    /** Some node failed, was denied, or could not read the request. Wins over {@link #NO_RESPONSE}. */
    public static final int NODE_FAILED = 1;
    /** Bad command line, filter or configuration; nothing was published. */
    public static final int USAGE = 2;
    /** The broker could not be reached. */
    public static final int BROKER_UNREACHABLE = 3;
    /** Some node did not answer in time, or no node answered at all. */
    public static final int NO_RESPONSE = 4;
    /** A rolling run stopped before its next batch because --max-failures was reached. */
    public static final int MAX_FAILURES = 5;
    /**
     * The run itself ended well (it would have been {@link #OK}) but {@code --report-file} could not be
     * written: a timer job that keeps its reports must hear of it. Any other code of the run wins over this.
     */
    public static final int REPORT_NOT_WRITTEN = 6;
    /** Stopped by Ctrl-C (SIGINT): no new batch was started; reboots already scheduled may still happen. */
    public static final int INTERRUPTED = 130;
    /** A bug in orch, not a user or fleet problem. */
    public static final int INTERNAL = 70;

    /** One exit code and its meaning, as {@code --help} shows it. */
    public record Meaning(int code, String meaning) {
    }

    /** Every exit code, in the order {@code --help} and the README list them. */
    public static final List<Meaning> TABLE = List.of(
            new Meaning(OK, "all done: every node answered, none failed (with --wait: all came back)"),
            new Meaning(NODE_FAILED, "some node failed, was denied (e.g. loop_suspected) or did not reboot"),
            new Meaning(USAGE, "usage or configuration error (bad flag, filter or config file); nothing was sent"),
            new Meaning(BROKER_UNREACHABLE, "the broker could not be reached, or was lost during the run"),
            new Meaning(NO_RESPONSE, "some node did not answer, or did not come back within --wait-timeout"),
            new Meaning(MAX_FAILURES, "stopped by --max-failures before the next batch; untouched nodes are not "
                    + "started"),
            new Meaning(REPORT_NOT_WRITTEN, "the run went well but --report-file could not be written (the report is "
                    + "still on stdout)"),
            new Meaning(INTERRUPTED, "interrupted (Ctrl-C): no new batch started; scheduled reboots still go ahead"),
            new Meaning(INTERNAL, "internal error (a bug)"));

    /** {@link #TABLE} as picocli's exit code list: code to meaning, in order. */
    public static Map<String, String> helpList() {
        Map<String, String> list = new LinkedHashMap<>();
        TABLE.forEach(m -> list.put(Integer.toString(m.code()), m.meaning()));
        return list;
    }

    private ExitCode() {
    }
}
