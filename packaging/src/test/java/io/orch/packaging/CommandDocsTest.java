package io.orch.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The completion script and the man pages the build made (target/completion, target/man), tried as a user's
 * shell and man(1) use them.
 */
class CommandDocsTest {
    private static final Path SCRIPT = Path.of("target", "completion", "orch.bash");
    private static final Path MAN = Path.of("target", "man");

    private record Run(int exit, String out) {
    }

    private static Run run(String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("MANWIDTH", "100");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "still running: " + String.join(" ", command));
        return new Run(p.exitValue(), out);
    }

    /** What bash offers after {@code words}, the last of which is being typed. */
    private static List<String> complete(String... words) throws IOException, InterruptedException {
        String line = String.join(" ", words);
        StringBuilder array = new StringBuilder();
        for (String w : words) {
            array.append("'").append(w).append("' ");
        }
        String cur = words[words.length - 1];
        String prev = words.length > 1 ? words[words.length - 2] : "";
        Run r = run("bash", "-c", "source '" + SCRIPT + "' && COMP_WORDS=(" + array + ") && COMP_CWORD="
                + (words.length - 1) + " && COMP_LINE='" + line + "' && COMP_POINT=" + line.length()
                + " && _complete_orch orch '" + cur + "' '" + prev + "' 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"");
        assertEquals(0, r.exit(), r.out());
        return r.out().lines().filter(l -> !l.isBlank()).map(String::strip).toList();
    }

    private static Set<String> visibleSubcommands(CommandLine cli) {
        Set<String> names = new TreeSet<>();
        cli.getSubcommands().forEach((name, sub) -> {
            if (!sub.getCommandSpec().usageMessage().hidden()) {
                names.add(name);
            }
        });
        return names;
    }

    @Test
    void sourcingTheScriptRegistersOrchsCompletion() throws Exception {
        Run r = run("bash", "-c", "source '" + SCRIPT + "' && complete -p orch");

        assertEquals(0, r.exit(), r.out());
        assertEquals("complete -o default -F _complete_orch orch", r.out().strip());
    }

    @Test
    void tabAfterOrchListsEverySubcommandAndTabAfterAPrefixCompletesIt() throws Exception {
        assertEquals(visibleSubcommands(CommandDocs.commandLine()), new TreeSet<>(complete("orch", "")));
        assertEquals(List.of("reboot"), complete("orch", "reb"));
    }

    @Test
    void optionsOfASubcommandComplete() throws Exception {
        assertEquals(List.of("--batch", "--batch-sleep"), complete("orch", "reboot", "--ba"));
        assertTrue(complete("orch", "reboot", "--").containsAll(List.of("--report-file", "--notify", "--wait")));
    }

    @Test
    void zshLoadsTheSameScriptThroughBashcompinit() throws Exception {
        // .ci/run installs zsh; a developer without it skips this one.
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/zsh"))
                || Files.isExecutable(Path.of("/bin/zsh")) || System.getenv("CI") != null, "zsh is not installed");
        // As the README tells zsh users to; zsh then filters the candidates by what was typed itself.
        String setup = "autoload -U +X compinit && compinit -u; autoload -U +X bashcompinit && bashcompinit; source '"
                + SCRIPT + "'; ";
        Run registered = run("zsh", "-c", setup + "print -r -- \"${_comps[orch]}\"");
        assertEquals(0, registered.exit(), registered.out());
        assertEquals("_bash_complete -F _complete_orch -o default", registered.out().strip());

        Run candidates = run("zsh", "-c", setup + "emulate -L sh; setopt kshglob noshglob braceexpand; "
                + "COMP_WORDS=(orch reboot --ba); COMP_CWORD=2; COMP_LINE='orch reboot --ba'; COMP_POINT=16; "
                + "_complete_orch orch --ba reboot 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"");
        assertEquals(0, candidates.exit(), candidates.out());
        List<String> offered = candidates.out().lines().map(String::strip).toList();
        assertTrue(offered.containsAll(List.of("--batch", "--batch-sleep", "--wait", "--report-file")), offered::toString);
    }

    @Test
    void everyCommandHasAManPageThatManRenders() throws Exception {
        List<String> missing = new ArrayList<>();
        CommandLine orch = CommandDocs.commandLine();
        List<String> pages = new ArrayList<>(List.of("orch"));
        visibleSubcommands(orch).forEach(name -> pages.add("orch-" + name));
        for (String page : pages) {
            Path file = MAN.resolve(page + ".1");
            if (!Files.isRegularFile(file)) {
                missing.add(page);
                continue;
            }
            Run r = run("man", "-l", file.toString());
            assertEquals(0, r.exit(), page + ": " + r.out());
            assertTrue(r.out().contains("NAME"), page + ": " + r.out());
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void theRebootPageSaysWhatItDoesAndListsItsOptions() throws Exception {
        Run r = run("man", "-l", MAN.resolve("orch-reboot.1").toString());

        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("orch-reboot - Reboot the matched nodes that have a reboot pending."), r.out());
        for (String option : List.of("--batch=N|N%", "--wait", "--max-failures=N|N%", "--report-file=PATH",
                "--notify=URL")) {
            assertTrue(r.out().contains(option), option + " in:\n" + r.out());
        }
    }
}
