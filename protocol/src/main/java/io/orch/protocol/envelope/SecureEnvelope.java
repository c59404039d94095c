package io.orch.protocol.envelope;

/**
 * The outermost layer of a request. The inner request travels as a string so that a
 * signature covers its exact bytes and nobody needs canonical JSON. Until signing is
 * configured, {@code signer} and {@code signature} are null.
 */
public record SecureEnvelope(String request, String signer, String signature) {
    public static final String PROTOCOL = "orch.secure.v1";
}
