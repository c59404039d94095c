package io.orch.responder.policy;

import static io.orch.responder.policy.Policies.NO_FACTS;
import static io.orch.responder.policy.Policies.at;
import static io.orch.responder.policy.Policies.load;
import static io.orch.responder.policy.Policies.utc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When reboots may happen: days, start, length and time zone, across midnight and daylight-saving nights. */
class MaintenanceWindowTest {

    static final String BERLIN = "Europe/Berlin";

    @TempDir
    Path dir;

    Policy windows(String windows) throws Exception {
        return load(dir, "maintenance_windows:\n" + windows.indent(2)
                + "rules: [{callers: [alice], actions: [reboot]}]\n");
    }

    boolean open(Policy p, Instant t) {
        boolean open = p.maintenance(t).open();
        assertEquals(open, p.decide("alice", PolicyAction.REBOOT, NO_FACTS, t).allowed(), "decide agrees at " + t);
        return open;
    }

    @Test
    void aWeekendWindowInBerlin() throws Exception {
        Policy p = windows("- {days: [sat, sun], start: \"02:00\", length: 4h, time_zone: Europe/Berlin}\n");

        MaintenanceStatus inside = p.maintenance(at("2025-03-22T03:00", BERLIN));
        assertEquals(new MaintenanceStatus("Sat,Sun 02:00+4h Europe/Berlin", true, at("2025-03-22T06:00", BERLIN),
                "open now (Sat,Sun 02:00+4h Europe/Berlin), closes Sat 06:00 Europe/Berlin, in 3h"), inside);

        MaintenanceStatus friday = p.maintenance(at("2025-03-21T22:30", BERLIN));
        assertEquals(new MaintenanceStatus("Sat,Sun 02:00+4h Europe/Berlin", false, at("2025-03-22T02:00", BERLIN),
                "closed, opens Sat 02:00 Europe/Berlin, in 3h 30m"), friday);

        MaintenanceStatus saturdayNoon = p.maintenance(at("2025-03-22T12:00", BERLIN));
        assertFalse(saturdayNoon.open());
        assertEquals(at("2025-03-23T02:00", BERLIN), saturdayNoon.next());
        assertEquals("closed, opens Sun 02:00 Europe/Berlin, in 14h", saturdayNoon.summary());

        assertEquals("outside maintenance window (opens Sat 02:00 Europe/Berlin, in 3h 30m)",
                p.decide("alice", PolicyAction.REBOOT, NO_FACTS, at("2025-03-21T22:30", BERLIN)).reason());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "2025-03-22T22:59, false",  // Saturday, before it opens
            "2025-03-22T23:00, true",   // Saturday 23:00: opens
            "2025-03-23T00:30, true",   // Sunday, past midnight: still the Saturday window
            "2025-03-23T02:59, true",
            "2025-03-23T03:00, false",  // closes Sunday 03:00
            "2025-03-22T00:30, false",  // Saturday 00:30 would be a Friday window: Friday is not listed
            "2025-03-21T23:30, false",
    })
    void aWindowCrossingMidnightBelongsToTheDayItOpens(String local, boolean open) throws Exception {
        Policy p = windows("- {days: [sat], start: \"23:00\", length: 4h, time_zone: Europe/Berlin}\n");
        assertEquals(open, open(p, at(local, BERLIN)));
    }

    @Test
    void theClosingOfAMidnightWindowIsOnTheNextDay() throws Exception {
        Policy p = windows("- {days: [sat], start: \"23:00\", length: 4h, time_zone: UTC}\n");
        MaintenanceStatus s = p.maintenance(utc("2025-03-23T01:00"));
        assertEquals(utc("2025-03-23T03:00"), s.next());
        assertEquals("open now (Sat 23:00+4h UTC), closes Sun 03:00 UTC, in 2h", s.summary());
    }

    @Test
    void springForwardShortensTheWindowOnTheClock() throws Exception {
        // Sunday 30 March 2025 in Berlin: 02:00 CET becomes 03:00 CEST (01:00 UTC).
        Policy p = windows("- {days: [sun], start: \"02:00\", length: 4h, time_zone: Europe/Berlin}\n");
        assertFalse(open(p, utc("2025-03-30T00:59:59")));
        assertTrue(open(p, utc("2025-03-30T01:00")));        // 03:00 CEST: 02:00 does not exist
        assertTrue(open(p, utc("2025-03-30T03:59:59")));     // 05:59:59 CEST
        assertFalse(open(p, utc("2025-03-30T04:00")));       // 06:00 CEST: closed, 3 real hours
        MaintenanceStatus s = p.maintenance(utc("2025-03-30T00:30"));
        assertEquals(utc("2025-03-30T01:00"), s.next());
        assertEquals("closed, opens Sun 03:00 Europe/Berlin, in 30m", s.summary());
        assertEquals(utc("2025-03-30T04:00"), p.maintenance(utc("2025-03-30T02:00")).next());
    }

    @Test
    void aStartInsideTheSpringGapOpensAtTheJump() throws Exception {
        // 02:30 does not exist that night; of 02:30-03:30 only 03:00-03:30 CEST does.
        Policy p = windows("- {days: [sun], start: \"02:30\", length: 1h, time_zone: Europe/Berlin}\n");
        MaintenanceStatus before = p.maintenance(utc("2025-03-30T00:00"));
        assertEquals(utc("2025-03-30T01:00"), before.next());
        assertEquals("closed, opens Sun 03:00 Europe/Berlin, in 1h", before.summary());
        assertEquals(utc("2025-03-30T01:30"), p.maintenance(utc("2025-03-30T01:00")).next());
        assertFalse(open(p, utc("2025-03-30T01:30")));
        // a week later it is 02:30-03:30 again
        assertEquals(at("2025-04-06T02:30", BERLIN), p.maintenance(utc("2025-03-30T01:30")).next());
    }

    @Test
    void aWindowEndingInTheSpringGapClosesAtTheJump() throws Exception {
        Policy p = windows("- {days: [sun], start: \"01:00\", length: 1h30m, time_zone: Europe/Berlin}\n");
        assertEquals(utc("2025-03-30T01:00"), p.maintenance(utc("2025-03-30T00:30")).next());
    }

    @Test
    void fallBackLengthensTheWindowOnTheClock() throws Exception {
        // Sunday 26 October 2025 in Berlin: 03:00 CEST becomes 02:00 CET (01:00 UTC); 02:00-03:00 happens twice.
        Policy p = windows("- {days: [sun], start: \"02:00\", length: 4h, time_zone: Europe/Berlin}\n");
        assertFalse(open(p, utc("2025-10-25T23:59:59")));
        assertTrue(open(p, utc("2025-10-26T00:00")));        // the first 02:00 (CEST)
        assertTrue(open(p, utc("2025-10-26T04:59:59")));     // 05:59:59 CET
        assertFalse(open(p, utc("2025-10-26T05:00")));       // 06:00 CET: 5 real hours
        assertEquals(utc("2025-10-26T05:00"), p.maintenance(utc("2025-10-26T00:00")).next());
    }

    @Test
    void aWindowEndingInTheRepeatedHourClosesAtItsSecondOccurrence() throws Exception {
        Policy p = windows("- {days: [sun], start: \"01:00\", length: 1h30m, time_zone: Europe/Berlin}\n");
        assertEquals(utc("2025-10-25T23:00"), p.maintenance(utc("2025-10-25T22:00")).next()); // 01:00 CEST
        assertEquals(utc("2025-10-26T01:30"), p.maintenance(utc("2025-10-26T00:45")).next()); // 02:30 CET
    }

    @Test
    void overlappingWindowsCloseTogether() throws Exception {
        Policy p = windows("""
                - {days: [sat], start: "02:00", length: 4h, time_zone: UTC}
                - {days: [sat], start: "05:00", length: 3h, time_zone: UTC}
                - {days: [sat], start: "08:00", length: 1h, time_zone: UTC}
                """);
        MaintenanceStatus s = p.maintenance(utc("2025-03-22T03:00"));
        assertEquals("Sat 02:00+4h UTC; Sat 05:00+3h UTC; Sat 08:00+1h UTC", s.windows());
        assertTrue(s.open());
        assertEquals(utc("2025-03-22T09:00"), s.next());
    }

    @Test
    void windowsInTwoZonesOpenAtTheEarlierOne() throws Exception {
        Policy p = windows("""
                - {days: [sat], start: "02:00", length: 1h, time_zone: Europe/Berlin}
                - {days: [fri], start: "22:00", length: 1h, time_zone: America/New_York}
                """);
        // Friday 12:00 UTC: New York opens at 02:00 UTC Saturday (22:00 EDT), Berlin at 01:00 UTC.
        MaintenanceStatus s = p.maintenance(utc("2025-03-21T12:00"));
        assertEquals(at("2025-03-22T02:00", BERLIN), s.next());
        assertEquals("closed, opens Sat 02:00 Europe/Berlin, in 13h", s.summary());
        // Berlin's 01:00-02:00 UTC touches New York's 02:00-03:00 UTC: open until New York closes.
        MaintenanceStatus during = p.maintenance(utc("2025-03-22T01:30"));
        assertTrue(during.open());
        assertEquals(utc("2025-03-22T03:00"), during.next());
        assertEquals("open now (Sat 02:00+1h Europe/Berlin; Fri 22:00+1h America/New_York), closes Fri 23:00 "
                + "America/New_York, in 1h 30m", during.summary());
        assertEquals("closed, opens Sat 02:00 Europe/Berlin, in 6d 21h", p.maintenance(utc("2025-03-22T03:30")).summary());
    }

    @Test
    void windowsThatNeverCloseHaveNoNext() throws Exception {
        Policy p = windows("- {start: \"00:00\", length: 24h, time_zone: Europe/Berlin}\n");
        for (String t : new String[] {"2025-03-30T01:30", "2025-10-26T01:30", "2025-06-07T12:00"}) {
            MaintenanceStatus s = p.maintenance(utc(t));
            assertTrue(s.open(), t);
            assertNull(s.next(), t);
            assertEquals("open now (daily 00:00+24h Europe/Berlin); the windows do not close within a week", s.summary());
        }
    }

    @Test
    void withoutDaysAWindowIsEveryDay() throws Exception {
        Policy p = windows("- {start: \"03:00\", length: 90m, time_zone: UTC}\n");
        assertEquals("daily 03:00+1h30m UTC", p.maintenance(utc("2025-03-19T04:00")).windows());
        assertTrue(open(p, utc("2025-03-19T04:29")));
        assertFalse(open(p, utc("2025-03-19T04:30")));
    }

    @Test
    void dayRangesWrapAroundTheWeek() throws Exception {
        Policy p = windows("""
                - {days: [fri-mon], start: "01:00", length: 1h, time_zone: UTC}
                - {days: [Wednesday], start: "01:00", length: 1h, time_zone: UTC}
                """);
        assertEquals("Mon,Fri,Sat,Sun 01:00+1h UTC; Wed 01:00+1h UTC", p.maintenance(utc("2025-03-19T00:00")).windows());
        assertFalse(open(p, utc("2025-03-18T01:30"))); // Tuesday
        assertTrue(open(p, utc("2025-03-19T01:30")));  // Wednesday
        assertTrue(open(p, utc("2025-03-24T01:30")));  // Monday
    }

    @Test
    void aWeekLongWindowOpenedLastWeekIsStillOpen() throws Exception {
        Policy p = windows("- {days: [mon], start: \"00:00\", length: 7d, time_zone: UTC}\n");
        MaintenanceStatus s = p.maintenance(utc("2025-03-23T23:00")); // Sunday night
        assertTrue(s.open());
        assertNull(s.next(), "the next Monday's window continues it");
        assertEquals("Mon 00:00+168h UTC", s.windows());
    }

    @Test
    void theLocalTimeZoneIsTheNodes() throws Exception {
        Policy p = windows("- {days: [sat], start: \"02:00\", length: 4h, time_zone: local}\n");
        assertEquals("Sat 02:00+4h " + java.time.ZoneId.systemDefault().getId(),
                p.maintenance(utc("2025-03-19T00:00")).windows());
    }
}
