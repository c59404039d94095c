package io.orch.protocol.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orch.protocol.Limits;
import io.orch.protocol.schema.MessageSchemas;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Announcements go out and come back equal, inside their envelope, and every field is bounded on the way in. */
class AnnouncementCodecTest {
    private static final Instant STARTED = Instant.parse("2026-11-30T23:40:01.954Z");
    private static final Instant NOW = Instant.parse("2026-11-30T23:40:02.311Z");

    private final Codec codec = new Codec();

    private static Announcement up() {
        return new Announcement("lab-0001", "75b00074-f8f8-43e3-bc55-f0231cd5ea96", NOW, Announcement.State.UP,
                "0.1.0-SNAPSHOT", 600, STARTED);
    }

    @ParameterizedTest
    @EnumSource(Announcement.State.class)
    void announcementSurvivesEncodeAndDecodeInItsEnvelope(Announcement.State state) throws Exception {
        Announcement sent = up().as(state, NOW.plusSeconds(5));
        String wire = codec.encodeUnsigned(sent);
        SecureEnvelope envelope = codec.decodeEnvelope(wire, SecureEnvelope.Kind.ANNOUNCEMENT);
        assertEquals(sent, codec.decodeAnnouncement(envelope.body()));
        assertEquals(state.name().toLowerCase(java.util.Locale.ROOT),
                codec.mapper().readTree(envelope.body()).path("state").asText());
        MessageSchemas.assertValid(wire);
    }

    @Test
    void anAnnouncementIsNotAnEventNorARequest() {
        String wire = codec.encodeUnsigned(up());
        InvalidMessageException e = assertThrows(InvalidMessageException.class,
                () -> codec.decodeEnvelope(wire, SecureEnvelope.Kind.EVENT));
        assertEquals("expected a event in the envelope, got a announcement", e.getMessage());
        assertThrows(InvalidMessageException.class, () -> codec.decodeRequest(wire));
    }

    @Test
    void emptyBootIdIsAllowedAndTheLongestOneToo() throws Exception {
        Announcement unknownBoot = new Announcement("web01", "", NOW, Announcement.State.UP, "0.1.0", 60, STARTED);
        assertEquals(unknownBoot, codec.decodeAnnouncement(codec.encode(unknownBoot)));
        Announcement windows = new Announcement("web01", "{" + "a".repeat(Limits.MAX_BOOT_ID_CHARS - 2) + "}", NOW,
                Announcement.State.UP, "v".repeat(Limits.MAX_VERSION_CHARS), Limits.MAX_ANNOUNCE_INTERVAL_SECONDS,
                STARTED);
        assertEquals(windows, codec.decodeAnnouncement(codec.encode(windows)));
    }

    /** One field changed in a valid announcement, and the start of the refusal. */
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            protocol   | "orch.announcement.v2"  | unsupported announcement protocol 'orch.announcement.v2'
            node       | "web.>"                 | announcement field 'node': invalid identity 'web.>'
            node       | "~sync"                 | announcement field 'node': invalid identity '~sync'
            node       | ""                      | announcement field 'node': invalid identity ''
            node       | 5                       | announcement field 'node' must be a string
            boot_id    | "a b"                   | announcement field 'boot_id' must be at most 128
            boot_id    | LONG_BOOT               | announcement field 'boot_id' must be at most 128
            state      | "down"                  | announcement field 'state' must be one of up, rebooting, stopped, got 'down'
            state      | null                    | announcement field 'state' is missing
            version    | ""                      | announcement field 'version' must be 1-64
            version    | "1.0\\u001b[2J"         | announcement field 'version' must be 1-64
            version    | LONG_VERSION            | announcement field 'version' must be 1-64
            interval_s | 59                      | announcement field 'interval_s' must be between 60 and 86400, got 59
            interval_s | 86401                   | announcement field 'interval_s' must be between 60 and 86400, got 86401
            interval_s | 99999999999999          | announcement field 'interval_s' must be between 60 and 86400
            interval_s | 600.5                   | announcement field 'interval_s' must be a whole number
            interval_s | "600"                   | announcement field 'interval_s' must be a whole number
            time       | "yesterday"             | announcement field 'time' must be an RFC 3339 UTC time
            started_at | null                    | announcement field 'started_at' is missing
            """)
    void aFieldOutOfBoundsIsRefusedNamingIt(String field, String value, String refusal) throws Exception {
        ObjectNode node = (ObjectNode) codec.mapper().readTree(codec.encode(up()));
        String json = switch (value) {
            case "LONG_BOOT" -> "\"" + "b".repeat(Limits.MAX_BOOT_ID_CHARS + 1) + "\"";
            case "LONG_VERSION" -> "\"" + "1".repeat(Limits.MAX_VERSION_CHARS + 1) + "\"";
            default -> value;
        };
        node.set(field, codec.mapper().readTree(json));
        String body = node.toString();
        InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> codec.decodeAnnouncement(body));
        assertTrue(e.getMessage().startsWith(refusal), e.getMessage());
        assertFalse(MessageSchemas.validate(codec.encodeEnvelope(
                SecureEnvelope.unsigned(SecureEnvelope.Kind.ANNOUNCEMENT, body))).isEmpty(),
                "the schema refuses it too: " + body);
    }

    @Test
    void aNodeCannotBuildAnAnnouncementOutOfBounds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Announcement("web01",
                "", NOW, Announcement.State.UP, "0.1.0", 30, STARTED));
        assertEquals("announcement field 'interval_s' must be between 60 and 86400, got 30", e.getMessage());
        assertThrows(NullPointerException.class, () -> new Announcement("web01", "", NOW, null, "0.1.0", 600, STARTED));
    }
}
