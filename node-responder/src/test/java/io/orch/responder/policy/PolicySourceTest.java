package io.orch.responder.policy;

import static io.orch.responder.policy.Policies.NO_FACTS;
import static io.orch.responder.policy.Policies.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.responder.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy a responder holds: follows the file, falls back to the defaults, fails closed on a bad file. */
class PolicySourceTest {

    static final String ALICE_REBOOTS = "rules: [{callers: [alice], actions: [reboot]}]\n";
    static final String BOB_REBOOTS = "rules: [{callers: [bob], actions: [reboot]}]\n";
    static final String BROKEN = "rules: [{callers: [alice], actions: [reboots]}]\n";

    @TempDir
    Path dir;

    Path file;
    final TestClock clock = new TestClock(Instant.parse("2025-03-22T03:00:00Z"));
    final List<String> errors = new ArrayList<>();
    final List<String> infos = new ArrayList<>();
    PolicySource source;
    /** Modification times far apart, so no file system's time granularity hides a change. */
    long mtime = 1_700_000_000_000L;

    @BeforeEach
    void setUp() {
        file = dir.resolve("etc/orch/policy.yaml");
        source = new PolicySource(file, clock, errors::add, infos::add);
    }

    void put(String yaml) throws Exception {
        write(file, yaml);
        Files.setLastModifiedTime(file, FileTime.fromMillis(mtime += 60_000));
    }

    boolean may(String caller, PolicyAction action) {
        return source.current().decide(caller, action, NO_FACTS, clock.instant()).allowed();
    }

    String reason(String caller, PolicyAction action) {
        return source.current().decide(caller, action, NO_FACTS, clock.instant()).reason();
    }

    void nextSecond() {
        clock.advance(Duration.ofSeconds(1));
    }

    @Test
    void withoutAFileTheDefaultsApply() {
        assertSame(Policy.defaults(), source.current());
        assertEquals(List.of("no policy file " + file + ": using the defaults (any caller may ping, discover and ask "
                + "status; nobody may reboot, force or cancel)"), infos);
        nextSecond();
        source.current();
        assertEquals(1, infos.size(), "said once");
        assertEquals(file, source.file());
    }

    @Test
    void aChangedFileIsReadAgain() throws Exception {
        put(ALICE_REBOOTS);
        assertTrue(may("alice", PolicyAction.REBOOT));
        assertFalse(may("bob", PolicyAction.REBOOT));
        assertEquals(List.of("policy loaded: policy file " + file + ": 1 rule, maintenance windows none"), infos);

        put(BOB_REBOOTS);
        nextSecond();
        assertFalse(may("alice", PolicyAction.REBOOT));
        assertTrue(may("bob", PolicyAction.REBOOT));
        assertEquals(List.of(), errors);
    }

    @Test
    void theFileIsLookedAtAtMostOncePerSecond() throws Exception {
        put(ALICE_REBOOTS);
        Policy first = source.current();
        put(BOB_REBOOTS);
        assertSame(first, source.current());
        clock.advance(Duration.ofMillis(999));
        assertSame(first, source.current());
        clock.advance(Duration.ofMillis(1));
        assertTrue(may("bob", PolicyAction.REBOOT));
    }

    @Test
    void aClockThatGoesBackLooksAgain() throws Exception {
        put(ALICE_REBOOTS);
        source.current();
        put(BOB_REBOOTS);
        clock.advance(Duration.ofMillis(-1));
        assertTrue(may("bob", PolicyAction.REBOOT));
    }

    @Test
    void theSameContentIsNotParsedAgain() throws Exception {
        put(ALICE_REBOOTS);
        Policy first = source.current();
        put(ALICE_REBOOTS); // written again: new modification time, same bytes
        nextSecond();
        assertSame(first, source.current());
        assertEquals(1, infos.size());
    }

    @Test
    void aFileReplacedWithTheSameSizeAndTimeIsNoticed() throws Exception {
        put(ALICE_REBOOTS);
        source.current();
        FileTime time = Files.getLastModifiedTime(file);
        // What configuration management does: write a new file beside it and rename it over.
        Path next = write(dir.resolve("etc/orch/.policy.yaml.new"), ALICE_REBOOTS.replace("alice", "carol"));
        Files.setLastModifiedTime(next, time);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertEquals(Files.size(file), ALICE_REBOOTS.length());
        nextSecond();
        assertTrue(may("carol", PolicyAction.REBOOT));
    }

    @Test
    void anInvalidFileFailsClosed() throws Exception {
        put(ALICE_REBOOTS);
        assertTrue(may("alice", PolicyAction.REBOOT));

        put(BROKEN);
        nextSecond();
        String reason = "policy file " + file + " is invalid: bad value in " + file + " at line 1 (rule 1, actions): "
                + "unknown action 'reboots'; expected ping, discover, status, reboot, force or cancel; fix it (the last "
                + "change was not applied)";
        assertEquals(reason, reason("alice", PolicyAction.REBOOT), "not the old policy: closed");
        assertEquals(reason, reason("alice", PolicyAction.CANCEL));
        assertTrue(may("web01", PolicyAction.PING));
        assertTrue(may("web01", PolicyAction.DISCOVER));
        assertTrue(may("web01", PolicyAction.STATUS));
        MaintenanceStatus m = source.current().maintenance(clock.instant());
        assertFalse(m.open());
        assertNull(m.next());
        assertEquals(reason, m.summary());
        assertEquals(List.of(reason + ". Until then only ping, discover and status are allowed."), errors);

        for (int i = 0; i < 5; i++) {
            nextSecond();
            source.current();
        }
        put(BROKEN); // written again, unchanged
        nextSecond();
        source.current();
        assertEquals(1, errors.size(), "logged once per change: " + errors);

        put(BROKEN + "# still broken\n");
        nextSecond();
        source.current();
        assertEquals(2, errors.size(), "a new change is logged again");

        put(BOB_REBOOTS);
        nextSecond();
        assertTrue(may("bob", PolicyAction.REBOOT), "fixed");
        assertEquals(2, errors.size());
    }

    @Test
    void anInvalidFileAtStartFailsClosedToo() throws Exception {
        put("rules: [");
        assertFalse(may("alice", PolicyAction.REBOOT));
        assertTrue(reason("alice", PolicyAction.FORCE).startsWith("policy file " + file + " is invalid: cannot read "
                + file + " as YAML: "), reason("alice", PolicyAction.FORCE));
        assertTrue(may("alice", PolicyAction.STATUS));
        assertEquals(1, errors.size());
    }

    @Test
    void aFileThatCannotBeReadFailsClosedAndIsLoggedOnce() throws Exception {
        Files.createDirectories(file); // a folder where the file should be
        assertFalse(may("alice", PolicyAction.REBOOT));
        assertTrue(reason("alice", PolicyAction.REBOOT).startsWith("policy file " + file + " is invalid: cannot read "
                + "it: "), reason("alice", PolicyAction.REBOOT));
        for (int i = 0; i < 3; i++) {
            nextSecond();
            source.current();
        }
        assertEquals(1, errors.size(), errors.toString());

        Files.delete(file);
        put(ALICE_REBOOTS);
        nextSecond();
        assertTrue(may("alice", PolicyAction.REBOOT));
    }

    @Test
    void aDeletedFileFallsBackToTheDefaults() throws Exception {
        put(ALICE_REBOOTS);
        assertTrue(may("alice", PolicyAction.REBOOT));
        Files.delete(file);
        nextSecond();
        assertSame(Policy.defaults(), source.current());
        assertFalse(may("alice", PolicyAction.REBOOT));

        put(ALICE_REBOOTS); // back, with the content it had before
        nextSecond();
        assertTrue(may("alice", PolicyAction.REBOOT));
    }

    @Test
    void aDeletedInvalidFileFallsBackToTheDefaults() throws Exception {
        put(BROKEN);
        assertFalse(may("web01", PolicyAction.REBOOT));
        Files.delete(file);
        nextSecond();
        assertSame(Policy.defaults(), source.current());
    }

    @Test
    void aFixedSourceNeverChanges() throws Exception {
        Policy policy = Policies.load(dir, ALICE_REBOOTS);
        PolicySource fixed = PolicySource.fixed(policy);
        assertSame(policy, fixed.current());
        assertNull(fixed.file());
        assertSame(Policy.allowAll(), PolicySource.fixed(Policy.allowAll()).current());
    }
}
