package io.orch.protocol.bus;

import io.orch.protocol.Limits;
import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.InvalidMessageException;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;

/** Reads the JSON text out of a message. JMS object messages are never read: no deserialization on the wire. */
public final class MessageBodies {
    private MessageBodies() {
    }

    public static String text(Message message) throws InvalidMessageException, JMSException {
        if (message instanceof TextMessage text) {
            String body = text.getText();
            if (body == null) {
                throw new InvalidMessageException("empty text message");
            }
            return body;
        }
        if (message instanceof BytesMessage bytes) {
            long length = bytes.getBodyLength();
            if (length > Limits.MAX_BODY_BYTES) {
                throw new InvalidMessageException("body of " + length + " bytes is over the limit of "
                        + Limits.MAX_BODY_BYTES + " bytes");
            }
            byte[] data = new byte[(int) length];
            bytes.readBytes(data);
            return Codec.bodyText(data);
        }
        throw new InvalidMessageException("unsupported message type " + message.getClass().getSimpleName()
                + "; send UTF-8 JSON as a text or bytes message");
    }
}
