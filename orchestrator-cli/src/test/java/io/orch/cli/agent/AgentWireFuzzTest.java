package io.orch.cli.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Whatever a peer on the agent's socket sends, {@link AgentWire} reads a request (which writes back the same) or
 * throws {@link IOException}; nothing else, and no allocation past the request budget. Seeds in
 * {@code AgentWireFuzzTestInputs/read/}. See docs/fuzzing.md.
 */
class AgentWireFuzzTest {
    @FuzzTest
    void read(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        AgentWire.Request request;
        try {
            if (AgentWire.readHeader(in) != AgentWire.RUN) {
                return;
            }
            request = AgentWire.Request.read(in);
        } catch (IOException documented) {
            return;
        }
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        request.write(new DataOutputStream(again));
        assertEquals(request, AgentWire.Request.read(skipHeader(again.toByteArray())));
        assertEquals(again.size(), request.size());
    }

    private static DataInputStream skipHeader(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        AgentWire.readHeader(in);
        return in;
    }
}
