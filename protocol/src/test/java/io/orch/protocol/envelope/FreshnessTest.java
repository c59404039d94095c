package io.orch.protocol.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A node acts only on requests read between created_at - skew and created_at + ttl + skew, both ends included. */
class FreshnessTest {

    private static final Instant CREATED = Instant.parse("2026-01-31T02:00:00Z");
    /** ttl 60 s, skew 30 s: fresh from 01:59:30 to 02:01:30. */
    private static final Request REQUEST = new Request("r1", "orch", Action.REBOOT, null, null, null, null, CREATED, 60);
    private static final Freshness FRESHNESS = new Freshness(Duration.ofSeconds(30));

    static Stream<Arguments> readTimes() {
        return Stream.of(
                arguments("at creation", CREATED, null),
                arguments("half way through the ttl", CREATED.plusSeconds(30), null),
                arguments("at expiry", CREATED.plusSeconds(60), null),
                arguments("inside the skew after expiry", CREATED.plusSeconds(89), null),
                arguments("exactly ttl + skew", CREATED.plusSeconds(90), null),
                arguments("one nanosecond past ttl + skew", CREATED.plusSeconds(90).plusNanos(1), "expired"),
                arguments("an hour later", CREATED.plusSeconds(3600), "expired 3540s ago"),
                arguments("slightly before creation (clock behind)", CREATED.minusSeconds(10), null),
                arguments("exactly skew before creation", CREATED.minusSeconds(30), null),
                arguments("one nanosecond more than skew before creation", CREATED.minusSeconds(30).minusNanos(1),
                        "in the future"),
                arguments("an hour before creation", CREATED.minusSeconds(3600), "3600s in the future"));
    }

    @ParameterizedTest(name = "read {0}")
    @MethodSource("readTimes")
    void requestIsFreshOnlyInsideTtlPlusSkew(String when, Instant now, String staleBecause) {
        String stale = FRESHNESS.staleness(REQUEST, now);
        if (staleBecause == null) {
            assertNull(stale, when);
        } else {
            assertNotNull(stale, when);
            assertTrue(stale.contains(staleBecause), stale);
        }
    }

    @Test
    void expiredMessageNamesCreationTimeAndTtl() {
        assertEquals("request expired 540s ago (created_at 2026-01-31T02:00:00Z, ttl_s 60)",
                FRESHNESS.staleness(REQUEST, CREATED.plusSeconds(600)));
    }

    @Test
    void futureMessageAsksToCheckTheClocks() {
        assertEquals("request created_at 2026-01-31T02:00:00Z is 120s in the future (allowed skew 30s); "
                + "check the clocks", FRESHNESS.staleness(REQUEST, CREATED.minusSeconds(120)));
    }

    @Test
    void withoutSkewTheTtlIsExact() {
        Freshness strict = new Freshness(Duration.ZERO);
        assertNull(strict.staleness(REQUEST, CREATED.plusSeconds(60)));
        assertNotNull(strict.staleness(REQUEST, CREATED.plusSeconds(60).plusNanos(1)));
        assertNotNull(strict.staleness(REQUEST, CREATED.minusNanos(1)));
    }

    @Test
    void defaultAllowsThirtySecondsOfSkew() {
        assertEquals(Duration.ofSeconds(30), Freshness.DEFAULT.allowedSkew());
    }

    @Test
    void negativeSkewIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Freshness(Duration.ofSeconds(-1)));
        assertEquals("allowedSkew must not be negative", e.getMessage());
        assertEquals("allowedSkew == null", assertThrows(NullPointerException.class, () -> new Freshness(null))
                .getMessage());
    }
}
