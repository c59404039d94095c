package io.orch.cli.agent;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Which commands an agent runs for a CLI: those that change nothing on a node and read no file by a path
 * relative to the CLI's folder. A reboot, a cancel, or a {@code --nodes hosts.txt} from another folder run in
 * the CLI's own process, as without an agent: the agent then never acts on the fleet, and never reads the
 * wrong file.
 */
final class Served {

    private Served() {
    }

    /**
     * Null when {@code cli} (fresh, not yet used) may run {@code args} here, else why not.
     *
     * @param sameFolder the CLI runs in the agent's working folder, where a relative path means the same file
     */
    static String whyNot(CommandLine cli, List<String> args, java.util.Map<String, String> env, boolean sameFolder,
                         java.util.Map<String, String> agentEnv) {
        if (args.stream().anyMatch(a -> a.startsWith("@"))) {
            return "an @file argument (the CLI reads it itself)";
        }
        if (!systemProperties(env).equals(systemProperties(agentEnv))) {
            // -Djavax.net.ssl..., -Djdk.tls...: the CLI's JVM would run with them, this one does not.
            return "the CLI's JVM gets other -D options than the agent's";
        }
        String config = env.get(io.orch.cli.config.ClientConfig.CONFIG_ENV);
        if (!sameFolder && config != null && !config.isBlank() && !absolute(config.strip())) {
            return "ORCH_CONFIG names a path relative to the CLI's folder";
        }
        ParseResult parsed;
        try {
            parsed = cli.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            return "the command line does not parse (the CLI reports it itself)";
        }
        ParseResult sub = parsed.subcommand();
        if (sub == null || parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested()) {
            return "not a fleet command";
        }
        String name = sub.commandSpec().name();
        if (!AgentClient.FORWARDED.contains(name)) {
            return "'" + name + "' is not run by the agent";
        }
        for (ParseResult p = sub; p != null; p = p.subcommand()) {
            if (p.isUsageHelpRequested() || p.isVersionHelpRequested()) {
                return "help";
            }
            if (!sameFolder) {
                for (OptionSpec option : p.commandSpec().options()) {
                    if (relativePath(option)) {
                        return option.longestName() + " names a path relative to the CLI's folder";
                    }
                }
            }
        }
        if ("reboot".equals(name)) {
            OptionSpec noop = sub.commandSpec().findOption("--noop");
            if (noop == null || !Boolean.TRUE.equals(noop.getValue())) {
                return "a reboot changes nodes: the agent runs only 'reboot --noop'";
            }
        }
        return null;
    }

    /** The system properties the launchers' and the JDK's option variables set, in order. */
    static List<String> systemProperties(java.util.Map<String, String> env) {
        List<String> properties = new java.util.ArrayList<>();
        for (String variable : List.of("ORCH_JAVA_OPTS", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")) {
            String value = env.get(variable);
            if (value != null) {
                for (String option : value.trim().split("\\s+")) {
                    if (option.startsWith("-D")) {
                        properties.add(option);
                    }
                }
            }
        }
        return properties;
    }

    private static boolean absolute(String path) {
        try {
            return Path.of(path).isAbsolute();
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /** A value that names a file or folder (typed so, or labelled FILE or DIR) by a relative path. */
    private static boolean relativePath(OptionSpec option) {
        Object value = option.getValue();
        if (value instanceof Path path) {
            return !path.isAbsolute();
        }
        if (value instanceof File file) {
            return !file.isAbsolute();
        }
        if (value instanceof String text && (option.paramLabel().contains("FILE") || option.paramLabel().contains("DIR"))) {
            if (text.isEmpty() || text.equals("~") || text.startsWith("~/")) {
                return false;
            }
            try {
                return !Path.of(text).isAbsolute();
            } catch (java.nio.file.InvalidPathException e) {
                return true; // not a path here either: the CLI reports it itself
            }
        }
        if (value instanceof List<?> list) {
            return list.stream().anyMatch(v -> v instanceof Path p && !p.isAbsolute());
        }
        return false;
    }
}
