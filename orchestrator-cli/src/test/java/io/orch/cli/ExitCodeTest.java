package io.orch.cli;

import io.orch.cli.commands.OrchCommand;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The exit codes are written once ({@link ExitCode#TABLE}); the README and {@code --help} show exactly those. */
class ExitCodeTest {
    private static final Pattern ROW = Pattern.compile("^\\| (\\d+) \\| .+\\|$");

    @Test
    void readmeListsEveryExitCodeOfTheTableInItsOrder() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "README.md"));
        int start = lines.indexOf("## Exit codes");
        assertTrue(start >= 0, "README.md has no '## Exit codes' section");
        List<Integer> documented = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                documented.add(Integer.parseInt(row.group(1)));
            }
        }

        assertEquals(ExitCode.TABLE.stream().map(ExitCode.Meaning::code).toList(), documented);
    }

    @Test
    void helpOfOrchAndOfRebootListsEveryExitCodeWithItsMeaning() {
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"reboot", "--help"})) {
            StringWriter out = new StringWriter();
            CommandLine cli = OrchCommand.commandLine(io.orch.cli.config.ClientConfig.defaultsOnly());
            cli.setOut(new PrintWriter(out));
            cli.execute(args);
            String help = out.toString().replaceAll("\\s+", " ");

            for (ExitCode.Meaning meaning : ExitCode.TABLE) {
                assertTrue(help.contains(" " + meaning.code() + " " + meaning.meaning()),
                        () -> String.join(" ", args) + " lacks exit code " + meaning.code() + ":\n" + out);
            }
        }
    }
}
