package io.orch.trust;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * Signing and checking bytes. The algorithm follows from the key alone, never from a message: a
 * sender cannot pick a weaker one (no "alg" field to confuse).
 *
 * <p>A key that signs or checks many messages (the operator's, a node's, a certificate the
 * verifier has checked) is made ready once with {@link #signer} or {@link #checker}: for Ed25519
 * that decodes the key and derives its public half once instead of on every message, which is
 * half the cost of a signature.
 */
public final class Signatures {
    private Signatures() {
    }

    /** Signs with one private key; safe to share between threads. */
    public interface Signer {
        byte[] sign(byte[] data) throws TrustException;

        /**
         * Whether this signer's key is the private half of {@code publicKey}: {@code probe} signed and the
         * signature checked with {@code publicKey}.
         */
        default boolean fits(PublicKey publicKey, byte[] probe) throws TrustException {
            return verify(publicKey, probe, sign(probe));
        }
    }

    /**
     * An Ed25519 key made ready once (decoded, its public half derived and kept by Bouncy Castle). Whether it
     * fits a certificate is answered by comparing that public half with the certificate's key: the same answer
     * as a probe signature and its check, for a third of the work (a lab checks thousands of keys at start).
     */
    private record Ed25519Key(Ed25519PrivateKeyParameters ready) implements Signer {
        @Override
        public byte[] sign(byte[] data) {
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, ready);
            signer.update(data, 0, data.length);
            return signer.generateSignature();
        }

        @Override
        public boolean fits(PublicKey publicKey, byte[] probe) {
            try {
                AsymmetricKeyParameter theirs = PublicKeyFactory.createKey(publicKey.getEncoded());
                return theirs instanceof Ed25519PublicKeyParameters their
                        && java.security.MessageDigest.isEqual(their.getEncoded(),
                        ready.generatePublicKey().getEncoded());
            } catch (IOException | IllegalArgumentException e) {
                return false;
            }
        }
    }

    /** Checks signatures of one public key; safe to share between threads. */
    public interface Checker {
        /** @return whether {@code signature} is this key's over {@code data}; a malformed signature is false */
        boolean verify(byte[] data, byte[] signature) throws TrustException;
    }

    /**
     * Ed25519 goes through Bouncy Castle's own signer: about six times faster than this JDK's (2,000
     * signatures: 0.18 s against 1.2 s), which is what a fleet answering at once costs, and used
     * directly rather than through its JCA provider, whose start alone takes 0.2 s of a CLI run.
     */
    private static boolean ed25519(String keyAlgorithm) {
        return algorithm(keyAlgorithm).equals("Ed25519");
    }

    /** The JCA signature algorithm orch uses for a key of {@code keyAlgorithm} (RSA, EC, Ed25519). */
    public static String algorithm(String keyAlgorithm) {
        return switch (keyAlgorithm) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new IllegalArgumentException("orch signs with RSA, EC or Ed25519 keys, not "
                    + keyAlgorithm);
        };
    }

    public static Signer signer(PrivateKey key) throws TrustException {
        try {
            if (ed25519(key.getAlgorithm())) {
                AsymmetricKeyParameter ready = PrivateKeyFactory.createKey(key.getEncoded());
                if (!(ready instanceof Ed25519PrivateKeyParameters)) {
                    throw new TrustException("orch signs with RSA, EC or Ed25519 keys, not Ed448"); // JDK: "EdDSA"
                }
                return new Ed25519Key((Ed25519PrivateKeyParameters) ready);
            }
            String algorithm = algorithm(key.getAlgorithm());
            return data -> {
                try {
                    Signature signature = Signature.getInstance(algorithm);
                    signature.initSign(key);
                    signature.update(data);
                    return signature.sign();
                } catch (GeneralSecurityException e) {
                    throw new TrustException("cannot sign with a " + key.getAlgorithm() + " key: " + e.getMessage(),
                            e);
                }
            };
        } catch (IllegalArgumentException | IOException e) {
            throw new TrustException("cannot sign with a " + key.getAlgorithm() + " key: " + e.getMessage(), e);
        }
    }

    public static Checker checker(PublicKey key) throws TrustException {
        try {
            if (ed25519(key.getAlgorithm())) {
                return ed25519Checker(PublicKeyFactory.createKey(key.getEncoded()));
            }
            String algorithm = algorithm(key.getAlgorithm());
            return (data, signature) -> {
                try {
                    Signature verifier = Signature.getInstance(algorithm);
                    verifier.initVerify(key);
                    verifier.update(data);
                    return verifier.verify(signature);
                } catch (SignatureException e) {
                    return false;
                } catch (GeneralSecurityException e) {
                    throw new TrustException("cannot check a signature of a " + key.getAlgorithm() + " key: "
                            + e.getMessage(), e);
                }
            };
        } catch (IllegalArgumentException | IOException e) {
            throw new TrustException("cannot check a signature of a " + key.getAlgorithm() + " key: "
                    + e.getMessage(), e);
        }
    }

    /**
     * A checker for a public key in its X.509 encoding ({@code SubjectPublicKeyInfo}), as remembered
     * between runs: an Ed25519 key goes straight to Bouncy Castle, without the JDK's key object.
     */
    public static Checker checker(String keyAlgorithm, byte[] x509Encoded) throws TrustException {
        try {
            if (ed25519(keyAlgorithm)) {
                return ed25519Checker(PublicKeyFactory.createKey(x509Encoded));
            }
            return checker(java.security.KeyFactory.getInstance(keyAlgorithm)
                    .generatePublic(new java.security.spec.X509EncodedKeySpec(x509Encoded)));
        } catch (GeneralSecurityException | IllegalArgumentException | IOException e) {
            throw new TrustException("cannot read a " + keyAlgorithm + " public key: " + e.getMessage(), e);
        }
    }

    private static Checker ed25519Checker(AsymmetricKeyParameter ready) throws TrustException {
        if (!(ready instanceof Ed25519PublicKeyParameters)) {
            // The JDK names Ed448 keys "EdDSA" too.
            throw new TrustException("orch signs with RSA, EC or Ed25519 keys, not Ed448");
        }
        return (data, signature) -> {
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, ready);
            verifier.update(data, 0, data.length);
            return verifier.verifySignature(signature);
        };
    }

    public static byte[] sign(PrivateKey key, byte[] data) throws TrustException {
        return signer(key).sign(data);
    }

    /** @return whether {@code signature} is {@code key}'s over {@code data}; a malformed signature is false */
    public static boolean verify(PublicKey key, byte[] data, byte[] signature) throws TrustException {
        return checker(key).verify(data, signature);
    }
}
