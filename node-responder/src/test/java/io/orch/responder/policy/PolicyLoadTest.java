package io.orch.responder.policy;

import static io.orch.responder.policy.Policies.NO_FACTS;
import static io.orch.responder.policy.Policies.at;
import static io.orch.responder.policy.Policies.load;
import static io.orch.responder.policy.Policies.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Reading policy.yaml: every mistake is refused with the file, the line, the key and what is expected. */
class PolicyLoadTest {

    @TempDir
    Path dir;

    String error(String yaml) {
        Path file = write(dir.resolve("policy.yaml"), yaml);
        PolicyException e = assertThrows(PolicyException.class, () -> Policy.load(file));
        return e.getMessage().replace(file.toString(), "FILE");
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                arguments("unknown top-level key", """
                        groups: {ops: [alice]}
                        rule:
                          - callers: [alice]
                        """,
                        "unknown key 'rule' in FILE at line 2 (the top level); known keys here: groups, "
                                + "maintenance_windows, rules, any_caller"),
                arguments("unknown key of a rule", """
                        rules:
                          - callers: [alice]
                            actions: [reboot]
                          - callers: [bob]
                            actions: [reboot]
                            any_tme: true
                        """,
                        "unknown key 'any_tme' in FILE at line 6 (rule 2); known keys here: callers, actions, facts, "
                                + "any_time"),
                arguments("unknown key of a window", """
                        maintenance_windows:
                          - days: [sat]
                            start: "02:00"
                            length: 4h
                            timezone: UTC
                        """,
                        "unknown key 'timezone' in FILE at line 5 (maintenance window 1); known keys here: days, "
                                + "start, length, time_zone"),
                arguments("unknown action", """
                        rules:
                          - callers: [alice]
                            actions: [reboot,
                                      reboots]
                        """,
                        "bad value in FILE at line 4 (rule 1, actions): unknown action 'reboots'; expected ping, "
                                + "discover, status, reboot, force or cancel"),
                arguments("actions not a list", "rules:\n  - callers: [alice]\n    actions: reboot\n",
                        "bad value in FILE at line 3 (rule 1, actions): found 'reboot'; expected a list of ping, "
                                + "discover, status, reboot, force or cancel"),
                arguments("no callers", "rules:\n  - actions: [reboot]\n",
                        "missing key 'callers' in FILE at line 2 (rule 1); expected a list of callers: a certificate "
                                + "name, a /regex/ or an @group each"),
                arguments("empty callers", "rules:\n  - callers: []\n    actions: [reboot]\n",
                        "bad value in FILE at line 2 (rule 1, callers): no callers; expected a list of a certificate "
                                + "name, a /regex/ or an @group"),
                arguments("no actions", "rules:\n  - callers: [alice]\n",
                        "missing key 'actions' in FILE at line 2 (rule 1); expected a list of ping, discover, status, "
                                + "reboot, force or cancel"),
                arguments("unknown group", "groups:\n  ops: [alice]\nrules:\n  - callers: [\"@opps\"]\n    actions: [reboot]\n",
                        "bad value in FILE at line 4 (rule 1, callers): unknown group '@opps'; expected one of @ops"),
                arguments("group without groups", "rules:\n  - callers: [\"@ops\"]\n    actions: [reboot]\n",
                        "bad value in FILE at line 2 (rule 1, callers): unknown group '@ops'; no groups are defined "
                                + "(see groups:)"),
                arguments("group in a group", "groups:\n  a: [alice]\n  b: [\"@a\"]\n",
                        "bad value in FILE at line 3 (groups, b): '@a': a group cannot contain a group; expected a "
                                + "name or /regex/"),
                arguments("empty group", "groups:\n  a: []\n",
                        "bad value in FILE at line 2 (groups, a): the group is empty; expected a list of names or /regex/"),
                arguments("bad group name", "groups:\n  \"a b\": [alice]\n",
                        "bad group name 'a b' in FILE at line 2; expected letters, digits, '_', '.' or '-'"),
                arguments("bad regex", "rules:\n  - callers: [\"/web[/\"]\n    actions: [reboot]\n",
                        "bad value in FILE at line 2 (rule 1, callers): '/web[/' is not a valid regex: missing "
                                + "closing ] in regex; expected /RE2 regex/ (a full match; /i ignores case)"),
                arguments("bad facts", "rules:\n  - callers: [alice]\n    actions: [reboot]\n    facts: \"role=db and\"\n",
                        "bad value in FILE at line 4 (rule 1, facts): invalid filter 'role=db and' at position 8 "
                                + "near 'and': dangling 'and': nothing follows it; expected a filter like \"role=db and not "
                                + "env=prod\" (the -S language)"),
                arguments("any_time not a boolean", "rules:\n  - callers: [alice]\n    actions: [reboot]\n    any_time: always\n",
                        "bad value in FILE at line 4 (rule 1, any_time): 'always'; expected true or false"),
                arguments("any_time without reboot", "rules:\n  - callers: [alice]\n    actions: [cancel]\n    any_time: true\n",
                        "bad value in FILE at line 4 (rule 1, any_time): any_time applies to reboot and force, and this "
                                + "rule allows neither; expected any_time only in a rule with reboot or force"),
                arguments("reboot for any caller", "any_caller: [ping, reboot]\n",
                        "bad value in FILE at line 1 (any_caller): reboot cannot be open to any caller: the certificate "
                                + "of every node could then reboot this node; allow it in a rule that names the callers. "
                                + "Expected ping, discover or status"),
                arguments("bad day", "maintenance_windows:\n  - days: [sat, sunday, funday]\n    start: \"02:00\"\n"
                                + "    length: 4h\n    time_zone: UTC\n",
                        "bad value in FILE at line 2 (maintenance window 1, days): unknown day 'funday'; expected mon, "
                                + "tue, wed, thu, fri, sat or sun (or the full name), or a range like mon-fri"),
                arguments("bad start", "maintenance_windows:\n  - {start: \"24:00\", length: 4h, time_zone: UTC}\n",
                        "bad value in FILE at line 2 (maintenance window 1, start): '24:00' is not a time of day; "
                                + "expected \"HH:MM\" from \"00:00\" to \"23:59\", e.g. \"02:00\""),
                arguments("start as a number", "maintenance_windows:\n  - {start: 200, length: 4h, time_zone: UTC}\n",
                        "bad value in FILE at line 2 (maintenance window 1, start): '200' is not a time of day; "
                                + "expected \"HH:MM\" from \"00:00\" to \"23:59\", e.g. \"02:00\""),
                arguments("missing start", "maintenance_windows:\n  - length: 4h\n    time_zone: UTC\n",
                        "missing key 'start' in FILE at line 2 (maintenance window 1); expected \"HH:MM\", e.g. \"02:00\""),
                arguments("length in words", "maintenance_windows:\n  - {start: \"02:00\", length: 4 hours, time_zone: UTC}\n",
                        "bad value in FILE at line 2 (maintenance window 1, length): '4 hours' is not a duration; "
                                + "expected a duration like 90m, 4h, 1h30m or 2d, more than 0 and at most 7d"),
                arguments("length as a number", "maintenance_windows:\n  - {start: \"02:00\", length: 240, time_zone: UTC}\n",
                        "bad value in FILE at line 2 (maintenance window 1, length): '240' is not a duration; "
                                + "expected a duration like 90m, 4h, 1h30m or 2d, more than 0 and at most 7d"),
                arguments("length zero", "maintenance_windows:\n  - {start: \"02:00\", length: 0m, time_zone: UTC}\n",
                        "bad value in FILE at line 2 (maintenance window 1, length): '0m' is out of range; "
                                + "expected a duration like 90m, 4h, 1h30m or 2d, more than 0 and at most 7d"),
                arguments("length over a week", "maintenance_windows:\n  - {start: \"02:00\", length: 7d1m, time_zone: UTC}\n",
                        "bad value in FILE at line 2 (maintenance window 1, length): '7d1m' is out of range; "
                                + "expected a duration like 90m, 4h, 1h30m or 2d, more than 0 and at most 7d"),
                arguments("unknown zone", "maintenance_windows:\n  - start: \"02:00\"\n    length: 4h\n"
                                + "    time_zone: Europe/Berln\n",
                        "bad value in FILE at line 4 (maintenance window 1, time_zone): unknown time zone 'Europe/Berln'; "
                                + "expected a time zone like Europe/Berlin or UTC, or local for the node's own"),
                arguments("missing zone", "maintenance_windows:\n  - {start: \"02:00\", length: 4h}\n",
                        "missing key 'time_zone' in FILE at line 2 (maintenance window 1); expected a time zone like "
                                + "Europe/Berlin or UTC, or local for the node's own"),
                arguments("windows not a list", "maintenance_windows:\n  days: [sat]\n",
                        "bad value in FILE at line 2 (maintenance_windows): found a map; expected a list of windows, "
                                + "each with days, start, length and time_zone"),
                arguments("a list at the top", "- callers: [alice]\n",
                        "bad value in FILE at line 1 (the top level): found a list; expected a map with the keys groups, "
                                + "maintenance_windows, rules, any_caller"),
                arguments("a key twice", "rules: []\ngroups: {}\nrules: []\n",
                        "key 'rules' appears twice in FILE, at lines 1 and 3; give it once"),
                arguments("not YAML", "rules: [\n  {callers: [alice]\n",
                        "cannot read FILE as YAML: "),
                arguments("an unquoted @group", "rules:\n  - callers: [@ops]\n    actions: [reboot]\n",
                        "cannot read FILE as YAML: while scanning for the next token: found character '@' that cannot "
                                + "start any token. (Do not use @ for indentation) at line 2, column 15"),
                arguments("bad indentation", "rules:\n  - callers: [alice]\n   actions: [reboot]\n",
                        "cannot read FILE as YAML: while parsing a block collection: expected <block end>, but found "
                                + "'<block mapping start>' at line 3, column 4"),
                arguments("two documents", "rules: []\n---\nrules: []\n",
                        "more than one YAML document in FILE (a second one starts at line 3); a policy file holds one"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void mistakesNameFileLineKeyAndWhatIsExpected(String name, String yaml, String message) {
        String actual = error(yaml);
        assertFalse(actual.contains("\n"), "one line: " + actual);
        if (message.endsWith(": ")) {
            assertTrue(actual.startsWith(message), actual);
            assertTrue(actual.contains(" at line "), actual);
        } else {
            assertEquals(message, actual);
        }
    }

    @Test
    void aMissingFileIsAnError() {
        Path file = dir.resolve("nope.yaml");
        assertEquals("policy file " + file + " does not exist",
                assertThrows(PolicyException.class, () -> Policy.load(file)).getMessage());
    }

    @Test
    void anUnquotedTimeAndOtherYamlShortcutsAreRead() throws Exception {
        Policy p = load(dir, """
                groups:
                  ops: [alice, 1234, on]
                maintenance_windows:
                  - days: [SAT, Sun]
                    start: 2:00
                    length: 1h30m
                    time_zone: UTC
                rules:
                  - callers: ['@ops']
                    actions: [Reboot]
                    any_time: yes
                """);
        assertEquals("Sat,Sun 02:00+1h30m UTC", p.maintenance(at("2025-03-19T00:00", "UTC")).windows());
        for (String caller : List.of("alice", "1234", "on")) {
            assertTrue(p.decide(caller, PolicyAction.REBOOT, NO_FACTS, at("2025-03-19T00:00", "UTC")).allowed(), caller);
        }
    }

    @Test
    void emptySectionsAreAllowed() throws Exception {
        Policy p = load(dir, "groups:\nmaintenance_windows:\nrules:\n");
        assertTrue(p.maintenance(at("2025-03-19T00:00", "UTC")).open());
        assertFalse(p.decide("alice", PolicyAction.REBOOT, NO_FACTS, at("2025-03-19T00:00", "UTC")).allowed());
        assertTrue(p.decide("alice", PolicyAction.PING, NO_FACTS, at("2025-03-19T00:00", "UTC")).allowed());
        assertEquals(List.of(), p.warnings());
    }

    @Test
    void aRuleLettingAnyCallerRebootIsWarnedAbout() throws Exception {
        Policy p = load(dir, """
                groups:
                  everyone: [alice, "/.*/"]
                rules:
                  - callers: ["/.+/"]
                    actions: [status, reboot]
                  - callers: ["@everyone"]
                    actions: [cancel]
                  - callers: ["/.*/"]
                    actions: [ping]
                  - callers: ["/web[0-9]+/", alice]
                    actions: [force]
                """);
        assertEquals(List.of(
                dir.resolve("policy.yaml") + " line 4: rule 1 lets any caller (/.+/) reboot: the certificate of every "
                        + "node of the site's CA could then do that to this node; name the operators instead",
                dir.resolve("policy.yaml") + " line 6: rule 2 lets any caller (@everyone) cancel: the certificate of "
                        + "every node of the site's CA could then do that to this node; name the operators instead"),
                p.warnings());
        // a warning, not a refusal: the site may mean it
        assertTrue(p.decide("web01", PolicyAction.REBOOT, NO_FACTS, at("2025-03-19T00:00", "UTC")).allowed());
    }

    @Test
    void aFileOthersMayWriteIsWarnedAbout() throws Exception {
        Path file = write(dir.resolve("policy.yaml"), "rules: []\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        assertEquals(List.of("policy file " + file + " may be changed by others than its owner (rw-rw-r--): whoever "
                + "can write it decides who may reboot this node; chmod go-w it"), Policy.load(file).warnings());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(List.of(), Policy.load(file).warnings());
    }

    @Test
    void toStringSaysWhereThePolicyCameFrom() throws Exception {
        Policy p = load(dir, "maintenance_windows: [{days: [sat], start: \"02:00\", length: 4h, time_zone: UTC}]\n"
                + "rules: [{callers: [alice], actions: [reboot]}]\n");
        assertEquals("policy file " + dir.resolve("policy.yaml") + ": 1 rule, maintenance windows Sat 02:00+4h UTC",
                p.toString());
        assertEquals("built-in default policy (no policy file): 0 rules, maintenance windows none",
                Policy.defaults().toString());
    }
}
