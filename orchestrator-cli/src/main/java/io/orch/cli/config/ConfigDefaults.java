package io.orch.cli.config;

import io.orch.cli.UsageException;
import io.orch.cli.config.ClientConfig.Key;
import io.orch.cli.config.ClientConfig.Setting;
import java.util.Objects;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Hands the configured values to picocli. For an option whose longest name is a {@link Key}'s
 * ({@code --wait-timeout} for {@code wait_timeout}) it gives the value from the environment or a
 * file; otherwise, and for values nobody configured, null, so the option's own default applies.
 * picocli converts the value as if it had been typed, so the command sees no difference.
 *
 * <p>A broken configuration yields no values here (so {@code --help} works); {@link
 * #checkedBefore} refuses to run a command that would have used one.
 */
public final class ConfigDefaults implements IDefaultValueProvider {
    private final ClientConfig config;

    public ConfigDefaults(ClientConfig config) {
        this.config = Objects.requireNonNull(config, "config == null");
    }

    public ClientConfig config() {
        return config;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || !config.problems().isEmpty()) {
            return null;
        }
        return Key.forOption(option.longestName()).map(config::setting).filter(setting -> !setting.isDefault())
                .map(Setting::value).orElse(null);
    }

    /**
     * Runs {@code next} unless the configuration is broken and the command about to run takes a value
     * from it (an option the configuration covers that was not given on the command line); then the
     * command fails with exit code 2 and the problem. Help and version requests always run.
     */
    public IExecutionStrategy checkedBefore(IExecutionStrategy next) {
        Objects.requireNonNull(next, "next == null");
        return parseResult -> {
            Integer helpExitCode = CommandLine.executeHelpRequest(parseResult);
            if (helpExitCode != null) {
                return helpExitCode;
            }
            if (!config.problems().isEmpty()) {
                Optional<ParseResult> using = usesConfig(parseResult);
                if (using.isPresent()) {
                    try {
                        config.requireValid();
                    } catch (UsageException e) {
                        throw new CommandLine.ExecutionException(using.get().commandSpec().commandLine(),
                                e.getMessage(), e);
                    }
                }
            }
            return next.execute(parseResult);
        };
    }

    /** The first command on the command line with a configurable option the user did not give. */
    private static Optional<ParseResult> usesConfig(ParseResult parseResult) {
        for (ParseResult command = parseResult; command != null; command = command.subcommand()) {
            for (OptionSpec option : command.commandSpec().options()) {
                if (Key.forOption(option.longestName()).isPresent() && !command.hasMatchedOption(option)) {
                    return Optional.of(command);
                }
            }
        }
        return Optional.empty();
    }
}
