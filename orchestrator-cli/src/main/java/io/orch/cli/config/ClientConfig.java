package io.orch.cli.config;

import io.orch.cli.UsageException;
import io.orch.cli.options.BrokerOptions;
import io.orch.cli.options.DurationConverter;
import io.orch.protocol.bus.Destinations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.TypeConversionException;

/**
 * The client configuration in effect: for every {@link Key}, its value and where it came from
 * ({@code ORCH_*} environment &gt; user file &gt; system file &gt; default). Everything is read and
 * checked once, when loaded. Problems are kept rather than thrown, so that {@code --help} still
 * works with a broken file; asking for a value of a broken configuration throws them.
 */
public final class ClientConfig {
    /** The file every user of the machine shares. */
    public static final Path SYSTEM_FILE = Path.of("/etc/orch/client.yaml");
    /** Environment variable naming a file that replaces the user's file. */
    public static final String CONFIG_ENV = "ORCH_CONFIG";
    /** The source of a value nobody configured. */
    public static final String DEFAULT_SOURCE = "default";

    /** Every setting a file or the environment may hold, with its default: the one table of client defaults. */
    public enum Key {
        BROKER("broker", Kind.TEXT, BrokerOptions.DEFAULT_BROKER, null),
        COLLECTIVE("collective", Kind.COLLECTIVE, Destinations.DEFAULT_COLLECTIVE, null),
        CONNECT_TIMEOUT("connect_timeout", Kind.POSITIVE_DURATION, "5s", null),
        DISCOVERY_TIMEOUT("discovery_timeout", Kind.POSITIVE_DURATION, "10s", null),
        TIMEOUT("timeout", Kind.POSITIVE_DURATION, "20s", null),
        DELAY("delay", Kind.DURATION, "1m", null),
        BATCH("batch", Kind.AMOUNT, null, "none: all at once"),
        BATCH_SLEEP("batch_sleep", Kind.DURATION, "0s", null),
        WAIT_TIMEOUT("wait_timeout", Kind.POSITIVE_DURATION, "15m", null),
        MAX_FAILURES("max_failures", Kind.AMOUNT, null, "none"),
        SECURITY("security", Kind.SECURITY, "verified", null),
        SSL_DIR("ssl_dir", Kind.TEXT, "~/.orch/ssl", null),
        CERTNAME("certname", Kind.TEXT, null, "your login name"),
        CA("ca", Kind.TEXT, null, "<ssl_dir>/certs/ca.pem"),
        CRL("crl", Kind.TEXT, null, "<ssl_dir>/crl.pem when it exists"),
        CERT("cert", Kind.TEXT, null, "<ssl_dir>/certs/<certname>.pem"),
        KEY("key", Kind.TEXT, null, "<ssl_dir>/private_keys/<certname>.pem"),
        INVENTORY_FORGET_AFTER("inventory_forget_after", Kind.RETENTION, "30d", null),
        NOTIFY("notify", Kind.WEBHOOK, null, "none");

        private final String configName;
        private final Kind kind;
        private final String defaultValue;
        private final String unset;

        Key(String configName, Kind kind, String defaultValue, String unset) {
            this.configName = configName;
            this.kind = kind;
            this.defaultValue = defaultValue;
            this.unset = unset;
        }

        /** The name in the YAML files, e.g. {@code wait_timeout}. */
        public String configName() {
            return configName;
        }

        /** The long option it fills in, e.g. {@code --wait-timeout}. */
        public String option() {
            return "--" + configName.replace('_', '-');
        }

        /** The environment variable, e.g. {@code ORCH_WAIT_TIMEOUT}. */
        public String env() {
            return "ORCH_" + configName.toUpperCase(Locale.ROOT);
        }

        /** The built-in default, or null when there is none (the option is simply off). */
        public String defaultValue() {
            return defaultValue;
        }

        /** What having no value means, for people, e.g. {@code none: all at once}; null when there is a default. */
        public String unset() {
            return unset;
        }

        /**
         * The value as {@code orch config show} prints it: a webhook's address is a secret (whoever has it may
         * post to the channel), so only its scheme and host are shown.
         */
        public String shown(String value) {
            return this == NOTIFY && value != null ? WebhookAddress.redacted(value) : value;
        }

        /** The key that fills in the option with this longest name, e.g. {@code --wait-timeout}. */
        public static Optional<Key> forOption(String longestName) {
            return Arrays.stream(values()).filter(key -> key.option().equals(longestName)).findFirst();
        }

        static Optional<Key> forConfigName(String name) {
            return Arrays.stream(values()).filter(key -> key.configName.equals(name)).findFirst();
        }

        static String configNames() {
            return Arrays.stream(values()).map(Key::configName).collect(Collectors.joining(", "));
        }

        /** What is wrong with {@code value}, or null when nothing is. */
        String problem(String value) {
            return kind.problem(value);
        }

        boolean isDuration() {
            return kind == Kind.DURATION || kind == Kind.POSITIVE_DURATION || kind == Kind.RETENTION;
        }

        /** A duration value of this key, within its kind's bound. */
        public java.time.Duration duration(String value) {
            return DurationConverter.parse(value, kind == Kind.RETENTION ? DurationConverter.MAX_RETENTION
                    : java.time.Duration.ofDays(7));
        }
    }

    /** How a value is checked; the same rules the options' converters apply, so a bad value is caught where it was written. */
    private enum Kind {
        TEXT {
            @Override
            String problem(String value) {
                return value.isBlank() ? "the value is empty" : null;
            }
        },
        COLLECTIVE {
            @Override
            String problem(String value) {
                try {
                    new Destinations(value);
                    return null;
                } catch (IllegalArgumentException e) {
                    return e.getMessage();
                }
            }
        },
        DURATION {
            @Override
            String problem(String value) {
                try {
                    DurationConverter.parse(value);
                    return null;
                } catch (TypeConversionException e) {
                    return e.getMessage();
                }
            }
        },
        POSITIVE_DURATION {
            @Override
            String problem(String value) {
                String problem = DURATION.problem(value);
                if (problem == null && DurationConverter.parse(value).isZero()) {
                    return "'" + value + "' must be more than 0";
                }
                return problem;
            }
        },
        /** How long to remember something: a positive duration up to {@link DurationConverter#MAX_RETENTION}. */
        RETENTION {
            @Override
            String problem(String value) {
                try {
                    if (DurationConverter.parse(value, DurationConverter.MAX_RETENTION).isZero()) {
                        return "'" + value + "' must be more than 0";
                    }
                    return null;
                } catch (TypeConversionException e) {
                    return e.getMessage();
                }
            }
        },
        /** {@code verified} (sign requests, believe only signed answers) or {@code insecure}. */
        SECURITY {
            @Override
            String problem(String value) {
                return value.equals("verified") || value.equals("insecure") ? null
                        : "'" + value + "' is not a security mode; use verified or insecure";
            }
        },
        /** An http or https address to post a run's summary to. */
        WEBHOOK {
            @Override
            String problem(String value) {
                return WebhookAddress.problem(value);
            }
        },
        /** {@code N} nodes or {@code N%} of them. */
        AMOUNT {
            @Override
            String problem(String value) {
                Matcher m = AMOUNT_PATTERN.matcher(value.trim());
                if (!m.matches()) {
                    return "'" + value + "' is not a count; use N or N% (e.g. 10 or 10%)";
                }
                int n = Integer.parseInt(m.group(1));
                if (n < 1) {
                    return "'" + value + "' must be at least 1";
                }
                if (m.group(2) != null && n > 100) {
                    return "'" + value + "' is more than 100%";
                }
                return null;
            }
        };

        abstract String problem(String value);
    }

    private static final Pattern AMOUNT_PATTERN = Pattern.compile("([0-9]{1,9})\\s*(%)?");

    /** A value and where it came from: {@link #DEFAULT_SOURCE}, {@code env ORCH_X} or a file's path. */
    public record Setting(Key key, String value, String source) {
        public Setting {
            Objects.requireNonNull(key, "key == null");
            Objects.requireNonNull(source, "source == null");
        }

        public boolean isDefault() {
            return DEFAULT_SOURCE.equals(source);
        }
    }

    /** A file that was looked at, in order of precedence. */
    public record ConfigFile(Path path, boolean exists) {
    }

    private final Map<Key, Setting> settings;
    private final List<ConfigFile> files;
    private final List<String> problems;

    private ClientConfig(Map<Key, Setting> settings, List<ConfigFile> files, List<String> problems) {
        this.settings = settings;
        this.files = List.copyOf(files);
        this.problems = List.copyOf(problems);
    }

    /**
     * The configuration of this process: {@link System#getenv()}, the user's file
     * ({@link #defaultUserFile}) and {@link #SYSTEM_FILE}.
     */
    public static ClientConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** As {@link #fromEnvironment()} for a process whose environment is {@code env} (a CLI the agent serves). */
    public static ClientConfig fromEnvironment(Map<String, String> env) {
        return load(env, defaultUserFile(env, Path.of(System.getProperty("user.home"))), SYSTEM_FILE);
    }

    /** Built-in defaults only: no environment, no files. For runs that must not depend on the machine (the demo, tests). */
    public static ClientConfig defaultsOnly() {
        return load(Map.of(), null, null);
    }

    /**
     * {@code $XDG_CONFIG_HOME/orch/client.yaml} when {@code XDG_CONFIG_HOME} is set (to an absolute
     * path, as the XDG spec asks), else {@code HOME/.config/orch/client.yaml}.
     */
    public static Path defaultUserFile(Map<String, String> env, Path home) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home.resolve(".config");
        return base.resolve("orch").resolve("client.yaml");
    }

    /**
     * Reads and checks everything. Never throws for what the user wrote: problems are kept.
     *
     * @param env        environment variables; {@code ORCH_*} values and {@code ORCH_CONFIG} are used, empty ones ignored
     * @param userFile   the user's file, replaced by {@code ORCH_CONFIG} when that is set; null for none
     * @param systemFile the system file; null for none
     */
    public static ClientConfig load(Map<String, String> env, Path userFile, Path systemFile) {
        Objects.requireNonNull(env, "env == null");
        List<String> problems = new ArrayList<>();
        List<ConfigFile> files = new ArrayList<>();
        Map<Key, Setting> found = new EnumMap<>(Key.class);

        for (Key key : Key.values()) {
            String value = env.get(key.env());
            if (value == null || value.isBlank()) {
                continue;
            }
            String problem = key.problem(value.strip());
            if (problem != null) {
                problems.add(key.env() + ": " + problem);
            }
            found.put(key, new Setting(key, value.strip(), "env " + key.env()));
        }

        String named = env.get(CONFIG_ENV);
        boolean required = named != null && !named.isBlank();
        Path user = required ? Path.of(named.strip()) : userFile;
        Path[] lookAt = {user, systemFile};
        for (int i = 0; i < lookAt.length; i++) {
            Path file = lookAt[i];
            if (file == null) {
                continue;
            }
            boolean exists = Files.exists(file);
            files.add(new ConfigFile(file, exists));
            if (!exists) {
                if (i == 0 && required) {
                    problems.add(CONFIG_ENV + " names " + file + ", which does not exist");
                }
                continue;
            }
            Map<Key, YamlSettings.Entry> entries = YamlSettings.read(file, problems);
            entries.forEach((key, entry) -> found.putIfAbsent(key, new Setting(key, entry.value(), file.toString())));
        }

        Map<Key, Setting> settings = new EnumMap<>(Key.class);
        for (Key key : Key.values()) {
            settings.put(key, found.getOrDefault(key, new Setting(key, key.defaultValue(), DEFAULT_SOURCE)));
        }
        return new ClientConfig(settings, files, problems);
    }

    /** What is wrong, one message each, in order of precedence; empty when all is well. */
    public List<String> problems() {
        return problems;
    }

    /** The files looked at, highest precedence first. */
    public List<ConfigFile> files() {
        return files;
    }

    /** @throws UsageException naming the file, key and problem when anything is wrong (exit code 2) */
    public void requireValid() {
        if (!problems.isEmpty()) {
            String more = problems.size() == 1 ? null : problems.subList(1, problems.size()).stream()
                    .map(problem -> "orch: " + problem).collect(Collectors.joining(System.lineSeparator()));
            throw new UsageException(problems.get(0), more);
        }
    }

    /**
     * The value in effect for {@code key} and where it came from.
     *
     * @throws UsageException when anything in the configuration is wrong
     */
    public Setting setting(Key key) {
        requireValid();
        return settings.get(key);
    }

    /** Every setting in table order. @throws UsageException when anything in the configuration is wrong */
    public List<Setting> settings() {
        requireValid();
        return List.copyOf(settings.values());
    }

    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>();
        settings.values().forEach(s -> shown.put(s.key().configName(), s.value() + " (" + s.source() + ")"));
        return "ClientConfig" + shown + (problems.isEmpty() ? "" : " problems=" + problems);
    }
}
