package io.orch.packaging;

import io.orch.cli.commands.OrchCommand;
import io.orch.cli.config.ClientConfig;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * {@code CommandDocs COMPLETION_DIR MAN_ADOC_DIR}: writes {@code orch.bash} and one AsciiDoc man page per command
 * of the operator's {@code orch}. Run by the build (exec-maven-plugin); Asciidoctor then makes the troff pages.
 * The command line is built with the built-in defaults only, so the pages show what orch does out of the box,
 * not the settings of whoever built it.
 */
public final class CommandDocs {
    private CommandDocs() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: CommandDocs COMPLETION_DIR MAN_ADOC_DIR");
            System.exit(2);
        }
        CommandLine orch = commandLine();
        Path completion = Path.of(args[0]);
        Files.createDirectories(completion);
        Files.writeString(completion.resolve("orch.bash"), completionScript(orch), StandardCharsets.UTF_8);
        Path man = Path.of(args[1]);
        Files.createDirectories(man);
        int code = ManPageGenerator.generateManPage(man.toFile(), (File) null, new boolean[0], true, orch.getCommandSpec());
        if (code != 0) {
            throw new IOException("picocli's man page generator failed with " + code);
        }
    }

    /** The operator's {@code orch}, as it parses with no configuration at all. */
    static CommandLine commandLine() {
        return OrchCommand.commandLine(ClientConfig.defaultsOnly());
    }

    /** The bash completion script, which zsh also loads ({@code autoload bashcompinit && bashcompinit}). */
    static String completionScript(CommandLine orch) {
        return AutoComplete.bash("orch", orch);
    }
}
