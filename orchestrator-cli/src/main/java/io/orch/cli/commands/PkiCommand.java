package io.orch.cli.commands;

import io.orch.trust.LocalCa.KeyType;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "pki", mixinStandardHelpOptions = true,
        description = {"A certificate authority for sites without one: make it, issue node, operator and broker "
                + "certificates (EC P-256 or Ed25519), revoke them, and read any site's certificates.",
            "Sites with Puppet need none of it: orch uses the agents' certificates as they lie.",
            "docs/pki.md walks through it, with the same done by openssl."},
        subcommands = {PkiInitCommand.class, PkiIssueCommand.class, PkiRevokeCommand.class, PkiShowCommand.class})
public final class PkiCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing subcommand (orch pki init, issue, revoke or show)");
    }

    /** {@code --key-type}: the key types orch pki makes. */
    static final class KeyTypes implements CommandLine.ITypeConverter<KeyType>, Iterable<String> {
        @Override
        public KeyType convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "ec" -> KeyType.EC;
                case "ed25519" -> KeyType.ED25519;
                default -> throw new CommandLine.TypeConversionException("'" + value + "' is not a key type orch pki "
                        + "makes; use ec (P-256) or ed25519");
            };
        }

        @Override
        public Iterator<String> iterator() {
            return List.of("ec", "ed25519").iterator();
        }
    }
}
