package io.orch.cli.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orch.cli.ExitCode;
import io.orch.cli.config.ClientConfig;
import io.orch.cli.config.ClientConfig.ConfigFile;
import io.orch.cli.config.ClientConfig.Setting;
import io.orch.cli.config.ConfigDefaults;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Print every setting in effect and where it came from (default, env ORCH_X or a file), "
                + "and the files looked at.",
            "A broken file (unknown key, bad value) is reported with its path, key and line; exit code 2."})
final class ConfigShowCommand implements Callable<Integer> {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object: {key: {value, source}, ..., files: [{path, exists}]}.")
    boolean json;

    @Override
    public Integer call() throws JsonProcessingException {
        ClientConfig config = spec.defaultValueProvider() instanceof ConfigDefaults defaults
                ? defaults.config() : ClientConfig.fromEnvironment();
        List<Setting> settings = config.settings();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(settings, config.files())));
        } else {
            printTable(out, settings, config.files());
        }
        out.flush();
        return ExitCode.OK;
    }

    static ObjectNode toJson(List<Setting> settings, List<ConfigFile> files) {
        ObjectNode root = MAPPER.createObjectNode();
        for (Setting setting : settings) {
            ObjectNode entry = root.putObject(setting.key().configName());
            entry.put("value", setting.key().shown(setting.value()));
            entry.put("source", setting.source());
        }
        ArrayNode looked = root.putArray("files");
        for (ConfigFile file : files) {
            looked.addObject().put("path", file.path().toString()).put("exists", file.exists());
        }
        return root;
    }

    private static void printTable(PrintWriter out, List<Setting> settings, List<ConfigFile> files) {
        int keyWidth = "KEY".length();
        int valueWidth = "VALUE".length();
        for (Setting setting : settings) {
            keyWidth = Math.max(keyWidth, setting.key().configName().length());
            valueWidth = Math.max(valueWidth, shown(setting).length());
        }
        String row = "%-" + keyWidth + "s  %-" + valueWidth + "s  %s%n";
        out.printf(row, "KEY", "VALUE", "SOURCE");
        for (Setting setting : settings) {
            out.printf(row, setting.key().configName(), shown(setting), setting.source());
        }
        out.println();
        if (files.isEmpty()) {
            out.println("No files looked at.");
            return;
        }
        out.println("Files, highest precedence first (flags and ORCH_* environment variables win over both):");
        for (ConfigFile file : files) {
            out.println("  " + file.path() + (file.exists() ? "" : " (not found)"));
        }
    }

    private static String shown(Setting setting) {
        return setting.value() != null ? setting.key().shown(setting.value()) : "(" + setting.key().unset() + ")";
    }
}
