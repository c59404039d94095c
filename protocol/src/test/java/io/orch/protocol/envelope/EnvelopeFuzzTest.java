package io.orch.protocol.envelope;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.orch.protocol.filter.FilterSyntaxException;
import java.util.Arrays;
import java.util.Map;

/**
 * Whatever bytes arrive on the bus, the node's decoding path (envelope, inner message, filter, params)
 * ends in a value or in one of its documented exceptions ({@link InvalidMessageException},
 * {@link FilterSyntaxException}) with a message; anything else thrown is a finding. What decodes
 * also encodes again, as the CLI's reports and the lab do with it.
 *
 * <p>Input: one mode character, then the body as UTF-8 (as a STOMP client's bytes reach
 * {@link Codec#bodyText}). Mode {@code 0}: a whole envelope and the message inside it;
 * {@code 1}: an inner request; {@code 2}: an inner reply; {@code 3}: an inner event; {@code 4}: a
 * JSON object taken as the params of every action. Seeds (from docs/protocol.md) are in
 * {@code EnvelopeFuzzTestInputs/decode/}. See docs/fuzzing.md.
 */
class EnvelopeFuzzTest {

    private static final Codec CODEC = new Codec();

    @FuzzTest
    void decode(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        int mode = Math.floorMod(input[0] - '0', 5);
        byte[] bytes = Arrays.copyOfRange(input, 1, input.length);
        try {
            String body = Codec.bodyText(bytes);
            switch (mode) {
                case 0 -> envelope(body);
                case 1 -> request(body);
                case 2 -> reply(body);
                case 3 -> event(body);
                default -> params(body);
            }
        } catch (InvalidMessageException | FilterSyntaxException documented) {
            assertNotNull(documented.getMessage());
            assertFalse(documented.getMessage().isBlank(), "a refusal says what is wrong");
        }
    }

    private static void envelope(String body) throws InvalidMessageException, FilterSyntaxException {
        SecureEnvelope envelope = CODEC.decodeEnvelope(body);
        CODEC.encodeEnvelope(envelope);
        switch (envelope.kind()) {
            case REQUEST -> request(envelope.body());
            case REPLY -> reply(envelope.body());
            case EVENT -> event(envelope.body());
            case ANNOUNCEMENT -> CODEC.encode(CODEC.decodeAnnouncement(envelope.body()));
        }
    }

    /** What a node does with a request before it acts: the filter compiled, the params decoded. */
    private static void request(String inner) throws InvalidMessageException, FilterSyntaxException {
        Request request = CODEC.decodeInnerRequest(inner);
        CODEC.encodeInnerRequest(request);
        request.filter().compile();
        CODEC.decodeParams(request.action(), request.params());
    }

    private static void reply(String inner) throws InvalidMessageException {
        CODEC.encode(CODEC.decodeReply(inner));
    }

    private static void event(String inner) throws InvalidMessageException {
        CODEC.encode(CODEC.decodeEvent(inner));
    }

    @SuppressWarnings("unchecked")
    private static void params(String json) throws InvalidMessageException {
        Map<String, Object> params;
        try {
            params = CODEC.mapper().readValue(json, Map.class);
        } catch (JsonProcessingException notAnObject) {
            return; // params reach decodeParams only as a JSON object the envelope decoder has read
        }
        for (Action action : Action.values()) {
            try {
                CODEC.decodeParams(action, params);
            } catch (InvalidMessageException documented) {
                assertFalse(documented.getMessage().isBlank(), "a refusal says what is wrong");
            }
        }
    }
}
