package io.orch.trust;

import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents one identity's certificate in every TLS handshake, client or server side. The JDK's
 * own key manager wants a key store, and a PKCS12 store (the only kind it still writes) encrypts
 * and decrypts the key with 10,000 rounds of PBKDF2 on the way in and out: a tenth of a second of
 * every CLI run, spent on a store that never leaves memory.
 *
 * <p>The key is offered only when the peer accepts its type ({@code keyType}: "EC", "RSA",
 * "RSASSA-PSS", "EdDSA", or a TLS 1.2 form such as "EC_RSA") and, when the peer names the CAs it
 * trusts, one of them is in the chain; the JDK picks the signature scheme.
 */
final class SingleKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "orch";

    private final PrivateKey key;
    private final X509Certificate[] chain;

    SingleKeyManager(PrivateKey key, List<X509Certificate> chain) {
        this.key = jdkKey(key);
        this.chain = chain.stream().map(SingleKeyManager::jdkCertificate).toArray(X509Certificate[]::new);
    }

    /**
     * The same key as the JDK's own key object. JSSE wants the key's and the certificate's
     * algorithm to read exactly "EC", "RSA" or "EdDSA", and where Bouncy Castle is a registered
     * provider (a library or the site's java.security put it there) a key read from PEM comes as
     * its "ECDSA" or "Ed25519" object.
     */
    private static PrivateKey jdkKey(PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC", "ECDSA" -> "EC";
            case "Ed25519", "EdDSA" -> "EdDSA";
            default -> key.getAlgorithm();
        };
        try {
            return KeyFactory.getInstance(algorithm, builtIn("KeyFactory", algorithm))
                    .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException | RuntimeException e) {
            return key; // JSSE says why in the handshake if it cannot use it
        }
    }

    private static X509Certificate jdkCertificate(X509Certificate certificate) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509", builtIn("CertificateFactory", "X.509"))
                    .generateCertificate(new ByteArrayInputStream(certificate.getEncoded()));
        } catch (GeneralSecurityException | RuntimeException e) {
            return certificate;
        }
    }

    /** The JDK's own provider of {@code type.algorithm}: one loaded by the JDK, not from the class path. */
    private static Provider builtIn(String type, String algorithm) throws NoSuchAlgorithmException {
        Provider[] providers = Security.getProviders(type + "." + algorithm);
        if (providers != null) {
            for (Provider provider : providers) {
                ClassLoader loader = provider.getClass().getClassLoader();
                if (loader == null || loader == ClassLoader.getPlatformClassLoader()) {
                    return provider;
                }
            }
        }
        throw new NoSuchAlgorithmException("no JDK provider of " + type + "." + algorithm);
    }

    private String[] aliasFor(String keyType, Principal[] issuers) {
        return fits(keyType, issuers) ? new String[] {ALIAS} : null;
    }

    private boolean fits(String keyType, Principal[] issuers) {
        if (keyType == null) {
            return false;
        }
        // TLS 1.2 server key types name the certificate's signature too ("EC_RSA"): the key's is the first part.
        String wanted = keyType.contains("_") ? keyType.substring(0, keyType.indexOf('_')) : keyType;
        String have = key.getAlgorithm();
        boolean typeMatches = wanted.equalsIgnoreCase(have)
                || (wanted.equalsIgnoreCase("EdDSA") && have.equalsIgnoreCase("Ed25519"))
                || (wanted.equalsIgnoreCase("Ed25519") && have.equalsIgnoreCase("EdDSA"));
        if (!typeMatches) {
            return false;
        }
        if (issuers == null || issuers.length == 0) {
            return true;
        }
        // The peer names the CAs it trusts: offer the key only when one of them is in the chain (or issued its top).
        List<Principal> accepted = Arrays.asList(issuers);
        for (X509Certificate link : chain) {
            if (accepted.contains(link.getIssuerX500Principal()) || accepted.contains(link.getSubjectX500Principal())) {
                return true;
            }
        }
        return false;
    }

    private String chooseOne(String[] keyTypes, Principal[] issuers) {
        if (keyTypes != null) {
            for (String keyType : keyTypes) {
                if (fits(keyType, issuers)) {
                    return ALIAS;
                }
            }
        }
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return aliasFor(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return chooseOne(keyTypes, issuers);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return chooseOne(keyTypes, issuers);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return aliasFor(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return fits(keyType, issuers) ? ALIAS : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return fits(keyType, issuers) ? ALIAS : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }
}
