package io.orch.responder.policy;

import static io.orch.responder.policy.Policies.NO_FACTS;
import static io.orch.responder.policy.Policies.facts;
import static io.orch.responder.policy.Policies.load;
import static io.orch.responder.policy.Policies.utc;
import static io.orch.responder.policy.PolicyAction.CANCEL;
import static io.orch.responder.policy.PolicyAction.DISCOVER;
import static io.orch.responder.policy.PolicyAction.FORCE;
import static io.orch.responder.policy.PolicyAction.PING;
import static io.orch.responder.policy.PolicyAction.REBOOT;
import static io.orch.responder.policy.PolicyAction.STATUS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.protocol.filter.FactView;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Who may do what: rules of callers (names, regexes, groups) x actions x facts, with the reasons given. */
class PolicyDecideTest {

    /** Saturday 03:00 UTC: inside the window of {@link #POLICY}. */
    static final Instant INSIDE = utc("2025-03-22T03:00");
    /** Friday 23:00 UTC: the window opens in 3 hours. */
    static final Instant OUTSIDE = utc("2025-03-21T23:00");

    static final String POLICY = """
            groups:
              operators: [alice, bob, "/oncall-[a-z]+/"]
            maintenance_windows:
              - days: [sat]
                start: "02:00"
                length: 4h
                time_zone: UTC
            rules:
              - callers: ["@operators"]
                actions: [reboot, cancel]
              - callers: [carol]
                actions: [force]
                facts: "role=db and not env=prod"
                any_time: true
              - callers: ["/deploy-[0-9]+/"]
                actions: [reboot]
                facts: "env=staging"
            """;

    @TempDir
    Path dir;

    Policy policy;

    @BeforeEach
    void loadPolicy() throws Exception {
        policy = Policies.load(dir, POLICY);
    }

    @Test
    void anOperatorNamedInARuleMayRebootInsideTheWindow() {
        Decision d = policy.decide("alice", REBOOT, NO_FACTS, INSIDE);
        assertEquals(new Decision(true, "allowed by rule 1 (callers @operators)"), d);
        assertTrue(policy.decide("bob", REBOOT, NO_FACTS, INSIDE).allowed());
    }

    @Test
    void aValidOperatorWithoutARuleIsDeniedReboot() {
        // mallory holds a good certificate of the site's CA: she may look, not reboot.
        assertTrue(policy.decide("mallory", STATUS, NO_FACTS, INSIDE).allowed());
        assertEquals(new Decision(false, "no rule allows mallory to reboot this node"),
                policy.decide("mallory", REBOOT, NO_FACTS, INSIDE));
        assertEquals(new Decision(false, "no rule allows mallory to cancel a reboot of this node"),
                policy.decide("mallory", CANCEL, NO_FACTS, INSIDE));
    }

    @Test
    void aNodeCertificateCannotRebootAnotherNode() {
        for (PolicyAction a : List.of(REBOOT, FORCE, CANCEL)) {
            assertFalse(policy.decide("web01.example.com", a, NO_FACTS, INSIDE).allowed(), a.wireName());
        }
    }

    @Test
    void rebootOutsideTheMaintenanceWindowIsDenied() {
        assertEquals(new Decision(false, "outside maintenance window (opens Sat 02:00 UTC, in 3h)"),
                policy.decide("alice", REBOOT, NO_FACTS, OUTSIDE));
        // a minute before it opens, and the instant it opens
        assertEquals("outside maintenance window (opens Sat 02:00 UTC, in 1m)",
                policy.decide("alice", REBOOT, NO_FACTS, utc("2025-03-22T01:59")).reason());
        assertTrue(policy.decide("alice", REBOOT, NO_FACTS, utc("2025-03-22T02:00")).allowed());
        // it closes at 06:00 sharp
        assertTrue(policy.decide("alice", REBOOT, NO_FACTS, utc("2025-03-22T05:59:59")).allowed());
        assertEquals("outside maintenance window (opens Sat 02:00 UTC, in 6d 20h)",
                policy.decide("alice", REBOOT, NO_FACTS, utc("2025-03-22T06:00")).reason());
    }

    @Test
    void cancelIsNotBoundToTheWindow() {
        assertEquals(new Decision(true, "allowed by rule 1 (callers @operators)"),
                policy.decide("bob", CANCEL, NO_FACTS, OUTSIDE));
    }

    @Test
    void forceWithoutTheRightIsDenied() {
        assertEquals(new Decision(false, "no rule allows alice to force a reboot of this node (rule 1 allows reboot, "
                        + "but a forced reboot needs a rule that lists force)"),
                policy.decide("alice", FORCE, NO_FACTS, INSIDE));
        assertEquals(new Decision(false, "no rule allows mallory to force a reboot of this node"),
                policy.decide("mallory", FORCE, NO_FACTS, INSIDE));
    }

    @Test
    void forceWithTheRightAnyTimeOnMatchingFacts() {
        FactView db = facts("role", "db", "env", "staging");
        assertEquals(new Decision(true, "allowed by rule 2 (callers carol; any time) outside the maintenance windows"),
                policy.decide("carol", FORCE, db, OUTSIDE));
        assertEquals(new Decision(true, "allowed by rule 2 (callers carol; any time)"),
                policy.decide("carol", FORCE, db, INSIDE));
    }

    @Test
    void factsThatDoNotMatchDeny() {
        assertEquals(new Decision(false, "no rule allows carol to force a reboot of this node: its facts do not "
                        + "match rule 2 (role=db and not env=prod)"),
                policy.decide("carol", FORCE, facts("role", "db", "env", "prod"), INSIDE));
        assertFalse(policy.decide("carol", FORCE, NO_FACTS, INSIDE).allowed(), "no facts, no match");
        assertFalse(policy.decide("carol", FORCE, null, INSIDE).allowed(), "null facts read as none");
    }

    @Test
    void factsMayUseRegexesAndNestedFacts() throws Exception {
        Policy p = load(dir, """
                rules:
                  - callers: [alice]
                    actions: [reboot]
                    facts: 'os.family=debian or kernel.release =~ /^6\\./'
                """);
        assertTrue(p.decide("alice", REBOOT, facts("os", java.util.Map.of("family", "debian")), INSIDE).allowed());
        assertTrue(p.decide("alice", REBOOT, facts("kernel", java.util.Map.of("release", "6.1.0-18")), INSIDE).allowed());
        assertFalse(p.decide("alice", REBOOT, facts("kernel", java.util.Map.of("release", "5.15.0")), INSIDE).allowed());
    }

    @Test
    void aRuleForOneActionSaysWhatItAllows() {
        assertEquals(new Decision(false, "no rule allows carol to reboot this node (rule 2 names carol for force only)"),
                policy.decide("carol", REBOOT, facts("role", "db"), INSIDE));
    }

    @Test
    void regexCallersMatchTheWholeName() {
        FactView staging = facts("env", "staging");
        assertTrue(policy.decide("deploy-17", REBOOT, staging, INSIDE).allowed());
        assertEquals("allowed by rule 3 (callers /deploy-[0-9]+/)",
                policy.decide("deploy-17", REBOOT, staging, INSIDE).reason());
        for (String caller : List.of("deploy-", "xdeploy-17", "deploy-17.example.com", "DEPLOY-17")) {
            assertFalse(policy.decide(caller, REBOOT, staging, INSIDE).allowed(), caller);
        }
        assertFalse(policy.decide("deploy-17", REBOOT, facts("env", "prod"), INSIDE).allowed());
    }

    @Test
    void groupMembersMayBeRegexes() {
        assertTrue(policy.decide("oncall-dave", REBOOT, NO_FACTS, INSIDE).allowed());
        assertFalse(policy.decide("oncall-dave2", REBOOT, NO_FACTS, INSIDE).allowed());
        assertFalse(policy.decide("my-oncall-dave", REBOOT, NO_FACTS, INSIDE).allowed());
    }

    @Test
    void namesAreExactAndCaseSensitive() {
        assertFalse(policy.decide("Alice", REBOOT, NO_FACTS, INSIDE).allowed());
        assertFalse(policy.decide("alice ", REBOOT, NO_FACTS, INSIDE).allowed());
    }

    @Test
    void regexesMayIgnoreCase() throws Exception {
        Policy p = load(dir, """
                rules:
                  - callers: ["/alice/i"]
                    actions: [reboot]
                """);
        assertTrue(p.decide("ALICE", REBOOT, NO_FACTS, INSIDE).allowed());
        assertFalse(p.decide("alice2", REBOOT, NO_FACTS, INSIDE).allowed());
    }

    @ParameterizedTest
    @EnumSource(value = PolicyAction.class, names = {"PING", "DISCOVER", "STATUS"})
    void anyCallerMayLookByDefault(PolicyAction action) {
        Decision d = policy.decide("web01.example.com", action, NO_FACTS, OUTSIDE);
        assertTrue(d.allowed());
        assertEquals("allowed: any caller of the site's CA may " + action.phrase() + " (any_caller)", d.reason());
    }

    @Test
    void anyCallerCanBeNarrowedAndRulesThenDecide() throws Exception {
        Policy p = load(dir, """
                any_caller: [discover]
                rules:
                  - callers: [alice]
                    actions: [ping, status]
                """);
        assertTrue(p.decide("web01", DISCOVER, NO_FACTS, INSIDE).allowed());
        assertEquals(new Decision(false, "no rule allows web01 to ask this node's status"),
                p.decide("web01", STATUS, NO_FACTS, INSIDE));
        assertEquals(new Decision(true, "allowed by rule 1 (callers alice)"), p.decide("alice", STATUS, NO_FACTS, INSIDE));
        assertEquals(new Decision(false, "no rule allows alice to discover this node (rule 1 names alice for ping, "
                        + "status only)"),
                load(dir, "any_caller: []\nrules: [{callers: [alice], actions: [ping, status]}]\n")
                        .decide("alice", DISCOVER, NO_FACTS, INSIDE));
    }

    @Test
    void windowsDoNotApplyToLooking() {
        assertTrue(policy.decide("alice", STATUS, NO_FACTS, OUTSIDE).allowed());
    }

    @Test
    void theFirstMatchingRuleIsNamed() throws Exception {
        Policy p = load(dir, """
                rules:
                  - callers: [alice]
                    actions: [reboot]
                    facts: "role=db"
                  - callers: [alice, bob]
                    actions: [reboot, force]
                """);
        assertEquals("allowed by rule 1 (callers alice)", p.decide("alice", REBOOT, facts("role", "db"), INSIDE).reason());
        assertEquals("allowed by rule 2 (callers alice, bob)", p.decide("alice", REBOOT, NO_FACTS, INSIDE).reason());
    }

    @Test
    void anyTimeOnAnotherRuleDoesNotHelpWhenItsFactsFail() throws Exception {
        Policy p = load(dir, """
                maintenance_windows: [{days: [sat], start: "02:00", length: 4h, time_zone: UTC}]
                rules:
                  - callers: [alice]
                    actions: [reboot]
                  - callers: [alice]
                    actions: [reboot]
                    facts: "role=db"
                    any_time: true
                """);
        assertEquals("outside maintenance window (opens Sat 02:00 UTC, in 3h)",
                p.decide("alice", REBOOT, facts("role", "web"), OUTSIDE).reason());
        assertEquals("allowed by rule 2 (callers alice; any time) outside the maintenance windows",
                p.decide("alice", REBOOT, facts("role", "db"), OUTSIDE).reason());
    }

    @Test
    void noWindowsMeansRebootsAnyTime() throws Exception {
        Policy p = load(dir, "rules: [{callers: [alice], actions: [reboot]}]\n");
        assertTrue(p.decide("alice", REBOOT, NO_FACTS, OUTSIDE).allowed());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " "})
    void aRequestWithoutCallerIsDenied(String caller) {
        assertFalse(policy.decide(caller, PING, NO_FACTS, INSIDE).allowed());
        assertFalse(policy.decide(null, STATUS, NO_FACTS, INSIDE).allowed());
        assertEquals("the request names no caller; only signed requests are answered",
                policy.decide(null, STATUS, NO_FACTS, INSIDE).reason());
    }

    @Test
    void controlCharactersOfACallerAreEscapedInReasons() {
        assertEquals("no rule allows eve\\u000aallowed to reboot this node",
                policy.decide("eve\nallowed", REBOOT, NO_FACTS, INSIDE).reason());
    }

    @Test
    void withoutAPolicyFileAnyCallerMayLookAndNobodyMayReboot() {
        Policy p = Policy.defaults();
        for (PolicyAction a : List.of(PING, DISCOVER, STATUS)) {
            Decision d = p.decide("web01", a, NO_FACTS, INSIDE);
            assertTrue(d.allowed(), a.wireName());
            assertEquals("allowed: any caller of the site's CA may " + a.phrase() + " (default)", d.reason());
        }
        for (PolicyAction a : List.of(REBOOT, FORCE, CANCEL)) {
            Decision d = p.decide("alice", a, NO_FACTS, INSIDE);
            assertFalse(d.allowed(), a.wireName());
            assertEquals("no rule allows alice to " + a.phrase() + " (there is no policy file; without one nobody "
                    + "may reboot, force or cancel)", d.reason());
        }
        assertEquals(new MaintenanceStatus("none", true, null, "no maintenance windows: reboots allowed any time"),
                p.maintenance(INSIDE));
    }

    @Test
    void allowAllAllowsEverythingAnyTime() {
        Policy p = Policy.allowAll();
        for (PolicyAction a : PolicyAction.values()) {
            Decision d = p.decide("anyone", a, NO_FACTS, OUTSIDE);
            assertTrue(d.allowed(), a.wireName());
            assertEquals("allowed: insecure mode without a policy file allows every request", d.reason());
        }
        assertTrue(p.maintenance(OUTSIDE).open());
    }

    @Test
    void anEmptyFileIsTheDefaultsWithTheirReasons() throws Exception {
        Policy p = load(dir, "# nothing yet\n");
        assertTrue(p.decide("web01", STATUS, NO_FACTS, INSIDE).allowed());
        assertEquals(new Decision(false, "no rule allows alice to reboot this node (the policy has no rules)"),
                p.decide("alice", REBOOT, NO_FACTS, INSIDE));
    }

    @Test
    void aFailClosedPolicyLetsOnlyLook() {
        Policy p = Policy.failClosed("policy file /x is invalid: broken; fix it (the last change was not applied)");
        assertTrue(p.decide("web01", PING, NO_FACTS, INSIDE).allowed());
        assertEquals(new Decision(false, "policy file /x is invalid: broken; fix it (the last change was not applied)"),
                p.decide("alice", REBOOT, NO_FACTS, INSIDE));
        MaintenanceStatus m = p.maintenance(INSIDE);
        assertFalse(m.open());
        assertEquals("policy file /x is invalid: broken; fix it (the last change was not applied)", m.summary());
    }
}
