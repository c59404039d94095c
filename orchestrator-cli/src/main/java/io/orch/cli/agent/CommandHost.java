package io.orch.cli.agent;

import io.orch.cli.Interrupt;
import io.orch.cli.output.Terminal;
import java.util.Map;
import picocli.CommandLine;

/** How the process that hosts an agent builds the command line a CLI with another environment would have built. */
public interface CommandHost {
    /**
     * The command line of a CLI whose environment is {@code env}: its configuration read from the files
     * and variables that environment names, its state folder, terminal and Ctrl-C as given.
     */
    CommandLine commandLine(Map<String, String> env, Terminal terminal, Interrupt interrupt);

    /** The main class of this jar, which {@code orch agent start} runs as {@code orch agent run}. */
    String mainClass();
}
