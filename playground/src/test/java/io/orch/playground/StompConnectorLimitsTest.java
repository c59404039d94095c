package io.orch.playground;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.protocol.Limits;
import io.orch.trust.TlsMaterial;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * {@code orch broker}'s STOMP connector does not hold a silent client for ever: a client whose
 * CONNECT carries no {@code heart-beat} header is held to one every {@link Limits#MAX_INACTIVITY_MS},
 * as OpenWire connections are, and is closed when it says nothing for longer; a frame over
 * {@link Limits#MAX_FRAME_BYTES} ends the connection.
 */
class StompConnectorLimitsTest {

    @Test
    void aStompClientThatSendsNoHeartBeatHeaderAndThenNothingIsClosed() throws Exception {
        try (SchemaCheckedBroker broker = SchemaCheckedBroker.startWithStomp()) {
            URI stomp = URI.create(broker.stompUrl());
            try (SSLSocket socket = (SSLSocket) TlsMaterial.of(Cli.PKI.operator()).sslContext().getSocketFactory()
                    .createSocket(stomp.getHost(), stomp.getPort())) {
                socket.startHandshake();
                socket.getOutputStream().write("CONNECT\naccept-version:1.2\nhost:127.0.0.1\n\n\0"
                        .getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
                InputStream in = socket.getInputStream();
                String connected = frame(in);
                assertTrue(connected.startsWith("CONNECTED\n"), connected);

                // ActiveMQ's read check allows a grace period on top of the limit (closed after about
                // twice the limit here); four times it is a connection kept for ever.
                socket.setSoTimeout(4 * Limits.MAX_INACTIVITY_MS);
                boolean closed;
                try {
                    int b = in.read();
                    while (b == '\n' || b == '\r') { // the end of the CONNECTED frame, or a heart-beat
                        b = in.read();
                    }
                    closed = b == -1;
                } catch (SocketTimeoutException e) {
                    closed = false;
                } catch (IOException e) {
                    closed = true; // reset or TLS alert: closed by the broker either way
                }
                assertTrue(closed, "the broker kept a silent STOMP connection open");
            }
        }
    }

    @Test
    void aStompFrameOverTheFrameLimitEndsTheConnection() throws Exception {
        try (SchemaCheckedBroker broker = SchemaCheckedBroker.startWithStomp()) {
            URI stomp = URI.create(broker.stompUrl());
            try (SSLSocket socket = (SSLSocket) TlsMaterial.of(Cli.PKI.operator()).sslContext().getSocketFactory()
                    .createSocket(stomp.getHost(), stomp.getPort())) {
                socket.startHandshake();
                var out = socket.getOutputStream();
                out.write("CONNECT\naccept-version:1.2\nhost:127.0.0.1\nheart-beat:0,0\n\n\0"
                        .getBytes(StandardCharsets.UTF_8));
                out.flush();
                InputStream in = socket.getInputStream();
                assertTrue(frame(in).startsWith("CONNECTED\n"));

                // The same frame, small, to the connection's own temporary queue: taken (the control).
                socket.setSoTimeout(Limits.MAX_INACTIVITY_MS);
                out.write(("SEND\ndestination:/temp-queue/control\nreceipt:small\n"
                        + "content-length:1024\n\n").getBytes(StandardCharsets.UTF_8));
                out.write(new byte[1024]);
                out.write(0);
                out.flush();
                String receipt = frame(in);
                assertTrue(receipt.contains("RECEIPT") && receipt.contains("small"), receipt);

                int body = 2 * Limits.MAX_FRAME_BYTES;
                StringBuilder answer = new StringBuilder();
                boolean closed = false;
                try {
                    out.write(("SEND\ndestination:/temp-queue/control\nreceipt:big\n"
                            + "content-length:" + body
                            + "\n\n").getBytes(StandardCharsets.UTF_8));
                    out.write(new byte[body]);
                    out.write(0);
                    out.flush();
                    for (int b = in.read(); b != -1; b = in.read()) {
                        answer.append((char) b);
                    }
                    closed = true;
                } catch (SocketTimeoutException e) {
                    closed = false;
                } catch (IOException e) {
                    closed = true; // closed while the frame was still being sent
                }
                assertTrue(closed, "the connection survived a frame of " + body + " bytes: " + answer);
                assertTrue(!answer.toString().contains("RECEIPT"), "the frame was taken: " + answer);
            }
        }
    }

    /** One STOMP frame, up to its NUL. */
    private static String frame(InputStream in) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        for (int b = in.read(); b > 0; b = in.read()) {
            frame.write(b);
        }
        return frame.toString(StandardCharsets.UTF_8);
    }
}
