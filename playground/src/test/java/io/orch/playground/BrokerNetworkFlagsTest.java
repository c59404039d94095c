package io.orch.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code orch broker}'s network flags: a combination that cannot work is a usage error (exit 2) saying why, before any broker starts. */
class BrokerNetworkFlagsTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--connect-to ssl://127.0.0.1:1           | --connect-to needs --network",
        "--network lab --insecure                 | --network is for the TLS broker",
        "--network bad.name                       | --network: network name 'bad.name'",
        "--network lab --connect-to tcp://127.0.0.1:1 | --connect-to: a network member is reached as ssl://host:port",
        "--network lab --connect-to ssl://127.0.0.1    | --connect-to: a network member is reached as ssl://host:port",
        "--network lab --connect-to 'ssl://a b:1'      | --connect-to 'ssl://a b:1' is not a URL",
    })
    void impossibleNetworkFlagsAreUsageErrorsThatSayWhy(String flags, String says) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("broker", "--port", "0"));
        for (String flag : flags.trim().split(" (?=(?:[^']*'[^']*')*[^']*$)")) {
            args.add(flag.replace("'", ""));
        }
        Cli.Result result = Cli.run(args.toArray(String[]::new));
        assertEquals(2, result.exitCode(), result::toString);
        assertTrue(result.err().contains(says), result::toString);
        assertFalse(result.err().contains("Exception"), result::toString);
    }
}
