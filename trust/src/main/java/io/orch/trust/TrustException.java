package io.orch.trust;

/** A certificate, key or CRL that cannot be used, with what is wrong and, where it helps, what to do. */
public final class TrustException extends Exception {
    public TrustException(String message) {
        super(message);
    }

    public TrustException(String message, Throwable cause) {
        super(message, cause);
    }
}
