package io.orch.playground;

import io.orch.playground.lab.LabPki;
import io.orch.cli.commands.OrchCommand;
import io.orch.cli.config.ClientConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/** Runs {@code orch} in this JVM exactly as the launcher does, capturing what it prints. */
final class Cli {
    /**
     * Where the CLI's own state goes in tests, never the developer's ~/.local/state: a new folder for each test
     * class ({@link CliStatePerClass}). The CLI keeps what it knows of a broker's nodes by the broker's URL, and
     * test brokers take free ports, so a later class's broker may get a port an earlier class's broker had:
     * with one folder for all, its CLI expected the earlier lab's nodes.
     */
    private static volatile Path state;
    /**
     * The tests' site PKI, made once per test run (never the developer's ~/.orch/lab): brokers, labs and
     * the CLI's operator all come from it, so every playground test signs and verifies like a site.
     */
    static final LabPki PKI;

    static {
        try {
            state = Files.createTempDirectory("orch-cli-state");
            PKI = LabPki.openOrCreate(Files.createTempDirectory("orch-test-pki"), java.time.Clock.systemUTC());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (io.orch.trust.TrustException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new, empty state folder for the CLI runs from here on. */
    static void freshState() {
        try {
            state = Files.createTempDirectory("orch-cli-state");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** A run in the background: its output so far, a Ctrl-C, and its result. */
    static final class Running {
        private final OrchCommand root;
        private final StringWriter out;
        private final StringWriter err;
        private final CompletableFuture<Result> result;

        private Running(OrchCommand root, StringWriter out, StringWriter err, CompletableFuture<Result> result) {
            this.root = root;
            this.out = out;
            this.err = err;
            this.result = result;
        }

        String outSoFar() {
            synchronized (out) {
                return out.toString();
            }
        }

        /** What it printed on stderr so far (e.g. {@code orch watch}'s "watching" line). */
        String errSoFar() {
            synchronized (err) {
                return err.toString();
            }
        }

        boolean done() {
            return result.isDone();
        }

        void ctrlC() {
            root.interrupt().signal();
        }

        Result result() throws Exception {
            return result.get(5, TimeUnit.MINUTES);
        }
    }

    private Cli() {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = commandLine(out, err);
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    static Running start(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = commandLine(out, err);
        CompletableFuture<Result> result = CompletableFuture.supplyAsync(() -> {
            int code = cli.execute(args);
            return new Result(code, out.toString(), err.toString());
        });
        return new Running((OrchCommand) cli.getCommand(), out, err, result);
    }

    private static CommandLine commandLine(StringWriter out, StringWriter err) {
        CommandLine cli = OrchMain.commandLine(ClientConfig.load(PKI.clientEnvironment(), null, null));
        ((OrchCommand) cli.getCommand()).useStateDir(state);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli;
    }
}
