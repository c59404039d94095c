package io.orch.protocol.bus;

import io.orch.protocol.Limits;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.util.Optional;

/**
 * The marker that tells an inventory reader it has every announcement the broker kept. The reader
 * subscribes to {@code <c>.registry.>} retroactively, then publishes a marker carrying a token of its own
 * on {@link Destinations#registryBarrier()}. The broker first recovers the kept announcements to the new
 * subscription, then dispatches what is published after, in order; so when the reader's own marker
 * arrives, everything recovered came before it. Another reader's marker (or one the broker kept from an
 * earlier reader) carries another token and is skipped. The marker is not signed: a forger who guessed a
 * token could only end a reader's wait early.
 */
public final class RegistryBarrier {
    /** The last name of the barrier topic; {@code ~} cannot appear in an identity. */
    public static final String NAME = "~sync";
    /** The JMS string property holding the reader's token; the body is empty. */
    public static final String TOKEN_PROPERTY = "orch_barrier";

    private RegistryBarrier() {
    }

    /** A marker for {@code token}, to send on the barrier topic with {@link #TTL_MS} as its time to live. */
    public static TextMessage marker(Session session, String token) throws JMSException {
        TextMessage marker = session.createTextMessage("");
        marker.setStringProperty(TOKEN_PROPERTY, token);
        return marker;
    }

    /** The marker's lifetime on the broker: it is kept as the barrier topic's last message, but not for long. */
    public static final long TTL_MS = Limits.REGISTRY_BARRIER_TTL_MS;

    /** The token of a marker, or empty when {@code message} is not one (an announcement). */
    public static Optional<String> token(Message message) throws JMSException {
        return Optional.ofNullable(message.getStringProperty(TOKEN_PROPERTY));
    }
}
