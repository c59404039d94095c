package io.orch.trust;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Key and trust managers for a connection started before its {@link TlsMaterial} is read: the TCP connection and
 * the first handshake messages go out at once, and the handshake waits for the material only where it needs it
 * (the broker's certificate to check, the client's to present). Every check is the material's own key and trust
 * managers', called with the same arguments: nothing is believed earlier or more easily. Material that never
 * comes (the files were refused) fails the handshake.
 */
public final class DeferredTls {
    private final CompletableFuture<TlsMaterial> material;

    /** @param material completed by whoever reads the files, or completed exceptionally when they are refused */
    public DeferredTls(CompletableFuture<TlsMaterial> material) {
        this.material = Objects.requireNonNull(material, "material == null");
    }

    public KeyManager[] keyManagers() {
        return new KeyManager[] {new Keys()};
    }

    public TrustManager[] trustManagers() {
        return new TrustManager[] {new Trust()};
    }

    private TlsMaterial material() {
        try {
            return material.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("no TLS material: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the TLS material", e);
        }
    }

    /** The material's trust manager: TlsMaterial makes PKIX ones, which are extended trust managers. */
    private X509ExtendedTrustManager trust() throws CertificateException {
        try {
            for (TrustManager manager : material().trustManagers()) {
                if (manager instanceof X509ExtendedTrustManager extended) {
                    return extended;
                }
            }
        } catch (IllegalStateException e) {
            throw new CertificateException(e.getMessage(), e);
        }
        throw new CertificateException("no X.509 trust manager in the TLS material");
    }

    private X509ExtendedKeyManager keys() {
        for (KeyManager manager : material().keyManagers()) {
            if (manager instanceof X509ExtendedKeyManager extended) {
                return extended;
            }
        }
        throw new IllegalStateException("no X.509 key manager in the TLS material");
    }

    private final class Trust extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            trust().checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            trust().checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            trust().checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            trust().checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            trust().checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            trust().checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            try {
                return trust().getAcceptedIssuers();
            } catch (CertificateException e) {
                return new X509Certificate[0]; // no material: the handshake fails at the check itself
            }
        }
    }

    private final class Keys extends X509ExtendedKeyManager {
        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return keys().getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return keys().chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return keys().chooseEngineClientAlias(keyType, issuers, engine);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return keys().getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return keys().chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return keys().chooseEngineServerAlias(keyType, issuers, engine);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys().getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return keys().getPrivateKey(alias);
        }
    }
}
