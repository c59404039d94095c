package io.orch.cli.commands;

import io.orch.cli.client.EarlyConnection;
import io.orch.cli.config.ClientConfig;
import io.orch.cli.config.ClientConfig.Key;
import io.orch.cli.options.SecurityOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a command that acts on the fleet will connect with, worked out before picocli has parsed its command line:
 * the configuration's values, with those of the connection's own options where the arguments give them
 * ({@code --broker URL} or {@code --broker=URL}). Only a guess, to begin the connection early: the command works
 * out its plan again from its parsed options and takes the early connection only when the two are equal
 * ({@link io.orch.cli.client.HeadStart#claim}), so a guess that is wrong costs a connection thrown away, never a
 * connection the user did not ask for.
 */
final class EarlyPlan {
    /** The commands that take an early connection ({@link FleetCommand}'s). */
    private static final Set<String> COMMANDS = Set.of("reboot", "cancel", "status", "ping", "discover");

    /** The settings a plan is made of. */
    private static final Set<Key> CONNECTION = Set.of(Key.BROKER, Key.COLLECTIVE, Key.CONNECT_TIMEOUT, Key.SECURITY,
            Key.SSL_DIR, Key.CERTNAME, Key.CA, Key.CRL, Key.CERT, Key.KEY);

    /** Arguments after which no connection is worth beginning, or after which the scan below cannot tell. */
    private static final Set<String> NO_GUESS = Set.of("-h", "--help", "-V", "--version");

    private EarlyPlan() {
    }

    /** The plan for {@code args}, or empty when none is worth guessing (not such a command, help, a broken config). */
    static Optional<EarlyConnection.Plan> of(String[] args, ClientConfig config, Path stateDir) {
        if (args.length == 0 || !COMMANDS.contains(args[0]) || !config.problems().isEmpty()) {
            return Optional.empty();
        }
        Map<Key, String> typed = new EnumMap<>(Key.class);
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                break;
            }
            if (NO_GUESS.contains(arg) || arg.startsWith("@")) { // @FILE: picocli reads arguments from it
                return Optional.empty();
            }
            int equals = arg.indexOf('=');
            Optional<Key> key = Key.forOption(equals < 0 ? arg : arg.substring(0, equals))
                    .filter(CONNECTION::contains);
            if (key.isPresent()) {
                if (equals >= 0) {
                    typed.put(key.get(), arg.substring(equals + 1));
                } else if (i + 1 < args.length) {
                    typed.put(key.get(), args[++i]);
                } else {
                    return Optional.empty();
                }
            }
        }
        try {
            Map<Key, String> value = new EnumMap<>(Key.class);
            for (Key key : CONNECTION) {
                value.put(key, typed.getOrDefault(key, config.setting(key).value()));
            }
            Duration connectTimeout = Key.CONNECT_TIMEOUT.duration(value.get(Key.CONNECT_TIMEOUT));
            return Optional.of(new EarlyConnection.Plan(value.get(Key.BROKER), value.get(Key.COLLECTIVE),
                    connectTimeout, SecurityOptions.keyFiles(value.get(Key.SECURITY), value.get(Key.SSL_DIR),
                    value.get(Key.CERTNAME), value.get(Key.CA), value.get(Key.CRL), value.get(Key.CERT),
                    value.get(Key.KEY)), stateDir));
        } catch (RuntimeException e) {
            return Optional.empty(); // whatever is wrong, the command says so itself once it has parsed
        }
    }
}
