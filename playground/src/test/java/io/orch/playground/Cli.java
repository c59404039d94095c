package io.orch.playground;

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
    /** Where the CLI's own state goes in tests, never the developer's ~/.local/state. */
    private static final Path STATE;

    static {
        try {
            STATE = Files.createTempDirectory("orch-cli-state");
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
        private final CompletableFuture<Result> result;

        private Running(OrchCommand root, StringWriter out, CompletableFuture<Result> result) {
            this.root = root;
            this.out = out;
            this.result = result;
        }

        String outSoFar() {
            synchronized (out) {
                return out.toString();
            }
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
        return new Running((OrchCommand) cli.getCommand(), out, result);
    }

    private static CommandLine commandLine(StringWriter out, StringWriter err) {
        CommandLine cli = OrchMain.commandLine(ClientConfig.defaultsOnly());
        ((OrchCommand) cli.getCommand()).useStateDir(STATE);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli;
    }
}
