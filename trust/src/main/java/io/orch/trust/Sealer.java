package io.orch.trust;

import io.orch.protocol.envelope.Codec;
import io.orch.protocol.envelope.SecureEnvelope;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Puts outgoing messages in their envelope, signed with this identity's key: the CLI seals
 * requests with the operator's, a node its replies and events with its own. Only with
 * {@code security: insecure} are envelopes sent unsigned.
 */
public final class Sealer {
    private final Codec codec;
    private final Credentials credentials;

    private Sealer(Codec codec, Credentials credentials) {
        this.codec = Objects.requireNonNull(codec, "codec == null");
        this.credentials = credentials;
    }

    public static Sealer signing(Codec codec, Credentials credentials) {
        return new Sealer(codec, Objects.requireNonNull(credentials, "credentials == null"));
    }

    /** Sends everything unsigned: only for {@code security: insecure}. */
    public static Sealer unsigned(Codec codec) {
        return new Sealer(codec, null);
    }

    public boolean signs() {
        return credentials != null;
    }

    /** The name messages are signed as; null when unsigned. */
    public String name() {
        return credentials == null ? null : credentials.name();
    }

    /** The envelope JSON around {@code body}. */
    public String seal(SecureEnvelope.Kind kind, String body) {
        if (credentials == null) {
            return codec.encodeEnvelope(SecureEnvelope.unsigned(kind, body));
        }
        byte[] signature;
        try {
            signature = credentials.sign(body.getBytes(StandardCharsets.UTF_8));
        } catch (TrustException e) {
            // The key was checked at start; failing now is a bug or a broken provider, not a message problem.
            throw new IllegalStateException(e.getMessage(), e);
        }
        return codec.encodeEnvelope(new SecureEnvelope(kind, body, credentials.name(), credentials.certificatePem(),
                Base64.getEncoder().encodeToString(signature)));
    }
}
