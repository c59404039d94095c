package io.orch.responder.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.orch.protocol.bus.Destinations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import io.orch.responder.reboot.LockWait;
import io.orch.trust.SecuritySettings;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The node's config file ({@code responder.yaml}). Every field has a safe default; in
 * particular the reboot executor is {@code log} unless the file says {@code command}.
 */
public record ResponderConfig(
        String identity,
        String collective,
        String broker,
        Facts facts,
        Pending pending,
        Reboot reboot,
        Requests requests,
        SecuritySettings security,
        String policyFile,
        Registry registry,
        Metrics metrics) {

    public static final String DEFAULT_BROKER = "tcp://127.0.0.1:61616";
    /** Where the node's policy lives unless {@code policy_file} says otherwise. */
    public static final String DEFAULT_POLICY_FILE = "/etc/orch/policy.yaml";

    public ResponderConfig {
        collective = collective == null ? Destinations.DEFAULT_COLLECTIVE : collective;
        broker = broker == null || broker.isBlank() ? DEFAULT_BROKER : broker;
        facts = facts == null ? new Facts(null, null) : facts;
        pending = pending == null ? new Pending(null) : pending;
        reboot = reboot == null ? new Reboot(null, null, null, null) : reboot;
        requests = requests == null ? new Requests(null) : requests;
        // No security section: the node's Puppet agent certificate, as it lies.
        security = security == null ? new SecuritySettings(false, null, null, null, null, null, null) : security;
        policyFile = policyFile == null || policyFile.isBlank() ? DEFAULT_POLICY_FILE : policyFile;
        registry = registry == null ? new Registry(null) : registry;
        metrics = metrics == null ? new Metrics(null, null, null) : metrics;
    }

    /** Everything but the metrics, which are off. */
    public ResponderConfig(String identity, String collective, String broker, Facts facts, Pending pending,
                           Reboot reboot, Requests requests, SecuritySettings security, String policyFile,
                           Registry registry) {
        this(identity, collective, broker, facts, pending, reboot, requests, security, policyFile, registry, null);
    }

    /** Everything but the registry, which takes its defaults. */
    public ResponderConfig(String identity, String collective, String broker, Facts facts, Pending pending,
                           Reboot reboot, Requests requests, SecuritySettings security, String policyFile) {
        this(identity, collective, broker, facts, pending, reboot, requests, security, policyFile, null, null);
    }

    /** Everything but security and the policy file, which take their defaults. */
    public ResponderConfig(String identity, String collective, String broker, Facts facts, Pending pending,
                           Reboot reboot, Requests requests) {
        this(identity, collective, broker, facts, pending, reboot, requests, null, null, null, null);
    }

    public static ResponderConfig defaults() {
        return new ResponderConfig(null, null, null, null, null, null, null);
    }

    /** This config with other security settings (and policy file, when not null). */
    public ResponderConfig withSecurity(SecuritySettings settings, String policy) {
        return new ResponderConfig(identity, collective, broker, facts, pending, reboot, requests, settings,
                policy == null ? policyFile : policy, registry, metrics);
    }

    /**
     * @param root             folder the built-in facts and detectors read instead of {@code /}
     * @param files            static facts files (JSON or YAML)
     * @param externalDir      folder of executables that print facts; none when absent
     * @param externalTimeoutS how long each of those may run (default 5)
     * @param cacheTtlS        how long static and external facts are used before they are read again (default 300)
     */
    public record Facts(String root, List<String> files, String externalDir, Integer externalTimeoutS,
                        Integer cacheTtlS) {
        public Facts {
            root = root == null || root.isBlank() ? "/" : root;
            files = files == null ? List.of() : List.copyOf(files);
            externalDir = externalDir == null || externalDir.isBlank() ? null : externalDir;
            externalTimeoutS = externalTimeoutS == null ? 5 : externalTimeoutS;
            cacheTtlS = cacheTtlS == null ? 300 : cacheTtlS;
        }

        public Facts(String root, List<String> files) {
            this(root, files, null, null, null);
        }
    }

    /**
     * @param detectors        enabled detector names; when absent, {@link ResponderWiring#DETECTORS}, plus
     *                         {@code sentinel_command} when a sentinel command is set
     * @param sentinelCommand  arguments (no shell) of the site's own check: exit 0 pending, 1 not pending
     * @param sentinelTimeoutS how long that command may run (default 10)
     */
    public record Pending(List<String> detectors, List<String> sentinelCommand, Integer sentinelTimeoutS) {
        public Pending {
            sentinelCommand = sentinelCommand == null || sentinelCommand.isEmpty() ? null
                    : List.copyOf(sentinelCommand);
            if (detectors == null) {
                List<String> defaults = new java.util.ArrayList<>(ResponderWiring.DETECTORS);
                if (sentinelCommand != null) {
                    defaults.add(ResponderWiring.SENTINEL_COMMAND);
                }
                detectors = List.copyOf(defaults);
            } else {
                detectors = List.copyOf(detectors);
            }
            sentinelTimeoutS = sentinelTimeoutS == null ? 10 : sentinelTimeoutS;
        }

        public Pending(List<String> detectors) {
            this(detectors, null, null);
        }
    }

    /**
     * @param executor      {@code log} (default: only log what would run) or {@code command} (really reboot)
     * @param allowForce    whether {@code when: refreshed} may reboot this node with nothing pending (default false)
     * @param cancelCommand stops a started reboot in its delay (default {@code shutdown -c})
     * @param lockFiles     config-management run locks to wait for before rebooting
     * @param lockWaitS     longest wait for those locks; after it the reboot fails (default 1800)
     * @param minIntervalS  least time between two reboots orch makes of this node (default 1800)
     * @param stateDir      where the reboot journal lives (default {@code <facts.root>/var/lib/orch})
     */
    public record Reboot(String executor, List<String> command, Integer commandTimeoutS, Boolean allowForce,
                         List<String> cancelCommand, List<String> lockFiles, Integer lockWaitS,
                         Integer minIntervalS, String stateDir) {
        public Reboot {
            executor = executor == null ? "log" : executor;
            command = command == null || command.isEmpty() ? null : List.copyOf(command);
            commandTimeoutS = commandTimeoutS == null ? 30 : commandTimeoutS;
            allowForce = allowForce != null && allowForce;
            cancelCommand = cancelCommand == null || cancelCommand.isEmpty() ? null : List.copyOf(cancelCommand);
            lockFiles = lockFiles == null ? LockWait.DEFAULT_LOCKS : List.copyOf(lockFiles);
            lockWaitS = lockWaitS == null ? 1800 : lockWaitS;
            minIntervalS = minIntervalS == null ? 1800 : minIntervalS;
            stateDir = stateDir == null || stateDir.isBlank() ? null : stateDir;
        }

        public Reboot(String executor, List<String> command, Integer commandTimeoutS, Boolean allowForce) {
            this(executor, command, commandTimeoutS, allowForce, null, null, null, null, null);
        }
    }

    /**
     * @param intervalS how often the node announces itself on its registry topic while up (default 600)
     */
    public record Registry(Integer intervalS) {
        public Registry {
            intervalS = intervalS == null ? (int) io.orch.responder.registry.Presence.DEFAULT_INTERVAL.toSeconds()
                    : intervalS;
        }
    }

    /**
     * @param textfile  the Prometheus text file node_exporter's textfile collector reads (a name ending in
     *                  {@code .prom}); none when absent
     * @param intervalS how often the state is read and the file written (default 60)
     * @param listen    {@code host:port} to serve {@code /metrics} on; none when absent (the default)
     */
    public record Metrics(String textfile, Integer intervalS, String listen) {
        public Metrics {
            textfile = textfile == null || textfile.isBlank() ? null : textfile;
            intervalS = intervalS == null ? io.orch.protocol.Limits.METRICS_DEFAULT_INTERVAL_S : intervalS;
            listen = listen == null || listen.isBlank() ? null : listen.strip();
        }

        /** Whether anything is published at all. */
        public boolean on() {
            return textfile != null || listen != null;
        }
    }

    public record Requests(Integer clockSkewS) {
        public Requests {
            clockSkewS = clockSkewS == null ? 30 : clockSkewS;
        }
    }

    /** @throws ConfigException naming the file and, for a bad key, the key and line */
    public static ResponderConfig load(Path file) throws ConfigException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        byte[] bytes = new byte[0];
        try {
            bytes = Files.readAllBytes(file);
            try (JsonParser parser = yaml.createParser(bytes)) {
                if (parser.nextToken() == null) {
                    return defaults(); // empty, or every line commented out
                }
                ResponderConfig config = yaml.readValue(parser, ResponderConfig.class);
                return config == null ? defaults() : config;
            }
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist; pass --config with the path of "
                    + "responder.yaml (deploy/config/responder.yaml is a commented example)");
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException("unknown key '" + e.getPropertyName() + "' in " + file + " at line "
                    + keyLine(new String(bytes, StandardCharsets.UTF_8), e) + "; known keys here: "
                    + e.getKnownPropertyIds());
        } catch (JacksonException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()));
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
    }

    /**
     * Jackson reports an unknown key of a record at the end of the enclosing map, so the line is found
     * by following the key's path through the text; Jackson's line is the fallback.
     */
    static int keyLine(String text, JsonMappingException e) {
        String[] lines = text.split("\n", -1);
        int at = -1;
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() == null) {
                continue;
            }
            Pattern key = Pattern.compile("(?:^|[\\s{,-])[\"']?" + Pattern.quote(ref.getFieldName())
                    + "[\"']?\\s*:(?:\\s|$)");
            int from = Math.max(at, 0);
            at = -1;
            for (int i = from; i < lines.length && at < 0; i++) {
                if (!lines[i].stripLeading().startsWith("#") && key.matcher(lines[i]).find()) {
                    at = i;
                }
            }
            if (at < 0) {
                break;
            }
        }
        return at >= 0 ? at + 1 : e.getLocation().getLineNr();
    }
}
