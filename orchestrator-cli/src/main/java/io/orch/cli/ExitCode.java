package io.orch.cli;

/** orch's exit codes. Scripts depend on them: never change a meaning, only add. */
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
    /** Stopped by Ctrl-C (SIGINT): no new batch was started; reboots already scheduled may still happen. */
    public static final int INTERRUPTED = 130;
    /** A bug in orch, not a user or fleet problem. */
    public static final int INTERNAL = 70;

    private ExitCode() {
    }
}
