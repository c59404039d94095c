package io.orch.protocol.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orch.protocol.envelope.Action;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.Event;
import io.orch.protocol.envelope.EventType;
import io.orch.protocol.envelope.Reply;
import io.orch.protocol.envelope.ReplyStatus;
import io.orch.protocol.envelope.Request;
import io.orch.protocol.filter.FilterSpec;
import io.orch.protocol.payload.EventData;
import io.orch.protocol.payload.ReplyData;
import io.orch.protocol.payload.Samples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every schema accepts the documented examples and the encoders' output, and refuses broken messages. */
class MessageSchemasTest {
    private static final Path DOC = Path.of("..", "docs", "protocol.md");
    private static final Instant NOW = Instant.parse("2026-11-22T02:29:09.057626750Z");
    private final Codec codec = new Codec();

    @Test
    void everyMessageExampleInProtocolMdMatchesItsSchema() throws Exception {
        List<String> messages = docExamples();
        assertTrue(messages.size() >= 10, "found only " + messages.size() + " examples");
        for (String kind : MessageSchemas.BY_PROTOCOL.keySet()) {
            assertTrue(messages.stream().anyMatch(m -> m.contains("\"protocol\":\"" + kind + "\"")
                    || m.contains("\\\"protocol\\\":\\\"" + kind + "\\\"")), "no example of " + kind);
        }
        for (String message : messages) {
            MessageSchemas.assertValid(message);
        }
    }

    @Test
    void everyRequestTheEncoderWritesMatchesItsSchema() {
        for (var sample : Samples.params()) {
            Request request = Request.create("orch", Action.fromWire(sample.name()).orElseThrow(),
                    new FilterSpec(List.of("os.family=debian"), List.of("web01"), "a=1 or b=2"),
                    codec.encodeParams(sample.value()), "alice", "jump1", NOW, java.time.Duration.ofSeconds(60));
            MessageSchemas.assertValid(codec.encodeRequest(request));
        }
    }

    @Test
    void everyReplyTheEncoderWritesMatchesItsSchema() throws Exception {
        for (var sample : Samples.replyData()) {
            Reply reply = new Reply("r1", "lab-0001", sample.name(), true, ReplyStatus.OK, "done", sample.value(), NOW);
            MessageSchemas.assertValid(codec.encode(reply));
        }
        for (Action action : Action.values()) {
            Reply refused = new Reply("r1", "lab-0001", action.wireName(), false, ReplyStatus.DENIED, "no",
                    io.orch.protocol.payload.NoData.INSTANCE, NOW);
            MessageSchemas.assertValid(codec.encode(refused));
        }
        Reply unreadable = new Reply("unknown", "lab-0001", "", false, ReplyStatus.INVALID, "malformed", null, NOW);
        MessageSchemas.assertValid(codec.encode(unreadable));
    }

    @Test
    void everyEventTheEncoderWritesMatchesItsSchema() throws Exception {
        for (var sample : Samples.eventData()) {
            Event event = new Event(EventType.fromWire(sample.name()).orElseThrow(), "lab-0003", Samples.BOOT, "r3",
                    NOW, sample.value());
            MessageSchemas.assertValid(codec.encode(event));
        }
    }

    @Test
    void aSecureEnvelopeIsCheckedWithTheRequestInside() {
        String inner = "{\"protocol\":\"orch.request.v1\",\"id\":\"-bad\",\"collective\":\"orch\",\"action\":\"reboot\","
                + "\"params\":{\"delay_s\":1.5},\"created_at\":\"2026-11-22T02:28:46Z\",\"ttl_s\":60}";
        ObjectNode envelope = codec.mapper().createObjectNode().put("protocol", "orch.secure.v1").put("request", inner);
        List<String> violations = MessageSchemas.validate(envelope.toString());
        assertTrue(violations.stream().anyMatch(v -> v.startsWith("request: ") && v.contains("/id: ")), violations::toString);
        assertTrue(violations.stream().anyMatch(v -> v.contains("/params/delay_s: ")), violations::toString);
        assertFalse(MessageSchemas.validate("{\"protocol\":\"orch.reply.v1\"}").isEmpty());
        assertFalse(MessageSchemas.validate("[1]").isEmpty());
    }

    /** Each schema file, a conforming instance first, then broken ones (a required field missing, a wrong type). */
    @ParameterizedTest(name = "{0}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            common.schema.json                    | true  | {}
            params/ping.schema.json               | true  | {"anything":1}
            params/ping.schema.json               | false | []
            params/discover.schema.json           | false | "x"
            params/status.schema.json             | true  | {"facts":["os.family"]}
            params/status.schema.json             | false | {"facts":[1]}
            params/reboot.schema.json             | true  | {"when":"refreshed","force":true,"noop":false,"delay_s":0,"message":"patch","onlyif":["kernel_update"]}
            params/reboot.schema.json             | false | {"when":"refreshed"}
            params/reboot.schema.json             | false | {"force":null}
            params/reboot.schema.json             | false | {"delay_s":86401}
            params/reboot.schema.json             | false | {"delay_s":"60"}
            params/reboot.schema.json             | false | {"message":"-P"}
            params/reboot.schema.json             | false | {"message":"a\\u0007b"}
            params/reboot.schema.json             | false | {"onlyif":[]}
            params/reboot.schema.json             | false | {"onlyif":["Kernel"]}
            params/reboot.schema.json             | false | {"onlyif":["a"],"unless":["b"]}
            params/cancel.schema.json             | true  | {"request_id":"r1","request_ids":["r1","r2"]}
            params/cancel.schema.json             | false | {"request_ids":[]}
            params/cancel.schema.json             | false | {"request_id":5}
            reply-data/ping.schema.json           | true  | {"boot_id":"b","uptime_s":5}
            reply-data/ping.schema.json           | false | {"boot_id":"b"}
            reply-data/ping.schema.json           | false | {"boot_id":"b","uptime_s":"5"}
            reply-data/discover.schema.json       | false | {"x":1}
            reply-data/cancel.schema.json         | false | {"x":1}
            reply-data/status.schema.json         | true  | {"pending":false,"reasons":[],"boot_id":"b","uptime_s":1,"last_reboot":null,"loop_guard":{"state":"clear","message":null},"reboot_underway":null}
            reply-data/status.schema.json         | false | {"pending":false,"reasons":[],"boot_id":"b","uptime_s":1,"loop_guard":{"state":"clear","message":null},"reboot_underway":null}
            reply-data/status.schema.json         | false | {"pending":false,"reasons":["reboot_needed"],"boot_id":"b","uptime_s":1,"last_reboot":null,"loop_guard":{"state":"clear","message":null},"reboot_underway":null}
            reply-data/status.schema.json         | false | {"pending":false,"reasons":[],"boot_id":"b","uptime_s":1,"last_reboot":null,"loop_guard":{"state":"open","message":null},"reboot_underway":null}
            reply-data/reboot.schema.json         | true  | {"reasons":[{"name":"a","detail":"","evidence":{}}],"boot_id":"b"}
            reply-data/reboot.schema.json         | false | {"reasons":[{"name":"a","detail":""}],"boot_id":"b"}
            reply-data/reboot.schema.json         | false | {"resource":{"type":"reboot","when":"pending","noop":false,"delay_s":60,"message":"m","pending":true,"reasons":["a"],"outcome":"scheduled"},"reasons":[],"boot_id":"b"}
            event-data/started.schema.json        | true  | {"boot_time":"2026-11-22T02:29:15Z"}
            event-data/started.schema.json        | false | {"boot_time":"yesterday"}
            event-data/started.schema.json        | false | {}
            event-data/rebooting.schema.json      | true  | {"delay_s":60,"reasons":[]}
            event-data/rebooting.schema.json      | false | {"delay_s":60,"reasons":["reboot_needed"]}
            event-data/rebooted.schema.json       | true  | {"old_boot_id":"a","new_boot_id":"b","downtime_s":null,"boot_time":"2026-11-22T02:29:15Z","pending":false,"reasons":[],"loop_suspected":false}
            event-data/rebooted.schema.json       | false | {"old_boot_id":"a","new_boot_id":"b","boot_time":"2026-11-22T02:29:15Z","pending":false,"reasons":[],"loop_suspected":false}
            event-data/rebooted.schema.json       | false | {"old_boot_id":"a","new_boot_id":"b","downtime_s":"3s","boot_time":"2026-11-22T02:29:15Z","pending":false,"reasons":[],"loop_suspected":false}
            event-data/reboot_failed.schema.json  | true  | {"error":"e"}
            event-data/reboot_failed.schema.json  | false | {"error":null}
            event-data/reboot_interrupted.schema.json | true  | {"scheduled_at":"2026-11-22T02:29:15Z","executed_at":null,"message":"m"}
            event-data/reboot_interrupted.schema.json | false | {"scheduled_at":"2026-11-22T02:29:15Z","message":"m"}
            event-data/cancelled.schema.json      | true  | {}
            event-data/cancelled.schema.json      | false | {"x":1}
            event-data/announce.schema.json       | false | 1
            secure.v1.schema.json                 | true  | {"protocol":"orch.secure.v1","request":"{}","signer":null,"signature":null}
            secure.v1.schema.json                 | false | {"protocol":"orch.secure.v1"}
            secure.v1.schema.json                 | false | {"protocol":"orch.secure.v1","request":{}}
            request.v1.schema.json                | true  | {"protocol":"orch.request.v1","id":"r1","collective":"orch","action":"ping","created_at":"2026-11-22T02:28:46Z","ttl_s":60}
            request.v1.schema.json                | false | {"protocol":"orch.request.v1","id":"r1","collective":"orch","action":"ping","created_at":"2026-11-22T02:28:46Z"}
            request.v1.schema.json                | false | {"protocol":"orch.request.v1","id":"r1","collective":"orch","action":"frobnicate","created_at":"2026-11-22T02:28:46Z","ttl_s":60}
            request.v1.schema.json                | false | {"protocol":"orch.request.v1","id":"r1","collective":"orch","action":"ping","created_at":"2026-11-22T02:28:46Z","ttl_s":7200}
            request.v1.schema.json                | false | {"protocol":"orch.request.v1","id":"r1","collective":"orch","action":"status","params":{"facts":"x"},"created_at":"2026-11-22T02:28:46Z","ttl_s":60}
            reply.v2.schema.json                  | true  | {"protocol":"orch.reply.v2","request_id":"r1","node":"n","action":"ping","matched":true,"status":"ok","message":"pong","data":{"boot_id":"b","uptime_s":1},"time":"2026-11-22T02:28:46Z"}
            reply.v2.schema.json                  | true  | {"protocol":"orch.reply.v2","request_id":"r1","node":"n","action":"ping","matched":false,"status":"expired","message":"late","data":{},"time":"2026-11-22T02:28:46Z"}
            reply.v2.schema.json                  | false | {"protocol":"orch.reply.v2","request_id":"r1","node":"n","action":"ping","matched":true,"status":"ok","message":"pong","data":{"boot_id":"b"},"time":"2026-11-22T02:28:46Z"}
            reply.v2.schema.json                  | false | {"protocol":"orch.reply.v2","request_id":"r1","node":"n","action":"ping","matched":true,"status":"fine","message":"pong","data":{},"time":"2026-11-22T02:28:46Z"}
            reply.v2.schema.json                  | false | {"protocol":"orch.reply.v2","request_id":"r1","node":"n","action":"ping","matched":"yes","status":"ok","message":"pong","data":{},"time":"2026-11-22T02:28:46Z"}
            reply.v2.schema.json                  | false | {"protocol":"orch.reply.v2","request_id":"r1","node":"n","action":"ping","matched":true,"status":"ok","message":"pong","time":"2026-11-22T02:28:46Z"}
            event.v2.schema.json                  | true  | {"protocol":"orch.event.v2","type":"cancelled","node":"n","boot_id":"","request_id":"r1","time":"2026-11-22T02:28:46Z","data":{}}
            event.v2.schema.json                  | false | {"protocol":"orch.event.v2","type":"cancelled","node":"n","boot_id":"","time":"2026-11-22T02:28:46Z","data":{}}
            event.v2.schema.json                  | false | {"protocol":"orch.event.v2","type":"exploded","node":"n","boot_id":"","request_id":"r1","time":"2026-11-22T02:28:46Z","data":{}}
            event.v2.schema.json                  | false | {"protocol":"orch.event.v2","type":"reboot_failed","node":"n","boot_id":"","request_id":"r1","time":"2026-11-22T02:28:46Z","data":{}}
            """)
    void eachSchemaAcceptsWhatNodesSendAndRefusesBrokenMessages(String schema, boolean valid, String json)
            throws Exception {
        List<String> violations = MessageSchemas.validate(schema, codec.mapper().readTree(json));
        assertEquals(valid, violations.isEmpty(), violations::toString);
    }

    /** The orch messages in the doc's json blocks: a block is one message, or one message a line. */
    private List<String> docExamples() throws Exception {
        List<String> out = new ArrayList<>();
        Matcher blocks = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(DOC));
        while (blocks.find()) {
            String block = blocks.group(1);
            List<String> candidates = new ArrayList<>();
            try {
                codec.mapper().readTree(block);
                candidates.add(block);
            } catch (Exception e) {
                candidates.addAll(block.lines().filter(l -> !l.isBlank()).toList());
            }
            for (String c : candidates) {
                JsonNode node = codec.mapper().readTree(c);
                if (node.path("protocol").asText("").startsWith("orch.")) {
                    out.add(c);
                }
            }
        }
        return out;
    }
}
