package io.orch.protocol.envelope;

import java.util.Objects;
import java.util.Optional;

/**
 * The outermost layer of every orch message: a request, a reply, an event or an announcement travels inside one as
 * a string, so that a signature covers its exact bytes and nobody needs canonical JSON. The
 * signer's certificate (PEM, with any intermediates) travels along, so a reader needs only the
 * site's CA. Unsigned (signer, certificate and signature null) only where a node or CLI runs with
 * {@code security: insecure}.
 *
 * @param kind        what the body is; the body's own {@code protocol} must agree
 * @param body        the inner message JSON, exactly as signed
 * @param signer      the signer's name (its certificate's CN); informative only, the certificate decides
 * @param certificate the signer's certificate as PEM
 * @param signature   base64 of the signature over the UTF-8 bytes of {@code body}
 */
public record SecureEnvelope(Kind kind, String body, String signer, String certificate, String signature) {
    public static final String PROTOCOL = "orch.secure.v1";

    /** What an envelope carries, and the name of the field that carries it. */
    public enum Kind {
        REQUEST("request", Request.PROTOCOL),
        REPLY("reply", Reply.PROTOCOL),
        EVENT("event", Event.PROTOCOL),
        /** A node's presence on its registry topic. */
        ANNOUNCEMENT("announcement", Announcement.PROTOCOL);

        private final String field;
        private final String innerProtocol;

        Kind(String field, String innerProtocol) {
            this.field = field;
            this.innerProtocol = innerProtocol;
        }

        public String field() {
            return field;
        }

        /** The {@code protocol} the body must declare. */
        public String innerProtocol() {
            return innerProtocol;
        }

        public static Optional<Kind> ofField(String field) {
            for (Kind k : values()) {
                if (k.field.equals(field)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }

    public SecureEnvelope {
        Objects.requireNonNull(kind, "kind == null");
        Objects.requireNonNull(body, "body == null");
    }

    /** A body sent without a signature ({@code security: insecure}). */
    public static SecureEnvelope unsigned(Kind kind, String body) {
        return new SecureEnvelope(kind, body, null, null, null);
    }

    public boolean signed() {
        return signature != null;
    }
}
