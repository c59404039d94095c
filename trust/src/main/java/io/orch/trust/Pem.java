package io.orch.trust;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * PEM files as sites have them: certificates (one or a bundle), CRLs, and private keys in
 * PKCS#1 ({@code RSA PRIVATE KEY}, what Puppet writes), SEC1 ({@code EC PRIVATE KEY}) or PKCS#8
 * ({@code PRIVATE KEY}: RSA, EC or Ed25519). Bouncy Castle does the parsing; no ASN.1 by hand.
 */
public final class Pem {
    private Pem() {
    }

    /** Every certificate in {@code file}, in order; at least one. */
    public static List<X509Certificate> certificates(Path file) throws TrustException {
        return certificates(objects(file), file.toString());
    }

    /** Every certificate in PEM {@code text} (as a message carries it), in order; at least one. */
    public static List<X509Certificate> certificates(String text, String where) throws TrustException {
        List<Object> items = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new java.io.StringReader(text))) {
            Object item;
            while ((item = parser.readObject()) != null) {
                items.add(item);
            }
        } catch (IOException | RuntimeException e) {
            throw new TrustException(where + ": not readable PEM: " + e.getMessage(), e);
        }
        return certificates(items, where);
    }

    private static List<X509Certificate> certificates(List<Object> items, String file) throws TrustException {
        List<X509Certificate> out = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object item : items) {
            if (item instanceof X509CertificateHolder holder) {
                try {
                    out.add(converter.getCertificate(holder));
                } catch (CertificateException e) {
                    throw new TrustException(file + ": unusable certificate: " + e.getMessage(), e);
                }
            }
        }
        if (out.isEmpty()) {
            throw new TrustException(file + ": no certificate in it (expected -----BEGIN CERTIFICATE-----)");
        }
        return out;
    }

    /** Every CRL in {@code file}, in order; at least one. */
    public static List<X509CRL> crls(Path file) throws TrustException {
        List<X509CRL> out = new ArrayList<>();
        JcaX509CRLConverter converter = new JcaX509CRLConverter();
        for (Object item : objects(file)) {
            if (item instanceof X509CRLHolder holder) {
                try {
                    out.add(converter.getCRL(holder));
                } catch (CRLException e) {
                    throw new TrustException(file + ": unusable CRL: " + e.getMessage(), e);
                }
            }
        }
        if (out.isEmpty()) {
            throw new TrustException(file + ": no CRL in it (expected -----BEGIN X509 CRL-----)");
        }
        return out;
    }

    /**
     * The private key in {@code file}. Encrypted keys are refused: a daemon has nobody to type the
     * passphrase. The file's permissions are checked first ({@link KeyFiles#checkPrivate}).
     */
    public static PrivateKey privateKey(Path file) throws TrustException {
        KeyFiles.checkPrivate(file);
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        for (Object item : objects(file)) {
            try {
                if (item instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo()); // PKCS#1 RSA, SEC1 EC
                }
                if (item instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info); // PKCS#8
                }
            } catch (PEMException e) {
                throw new TrustException(file + ": unusable private key: " + e.getMessage(), e);
            }
            if (item instanceof PEMEncryptedKeyPair || item instanceof PKCS8EncryptedPrivateKeyInfo) {
                throw new TrustException(file + ": the private key is encrypted; orch needs it unencrypted "
                        + "(readable by its owner only)");
            }
        }
        throw new TrustException(file + ": no private key in it (expected -----BEGIN RSA PRIVATE KEY-----, "
                + "-----BEGIN EC PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----)");
    }

    /** {@code objects} (certificates, CRLs) as PEM text. */
    public static String text(Object... objects) {
        java.io.StringWriter text = new java.io.StringWriter();
        try (org.bouncycastle.openssl.jcajce.JcaPEMWriter pem = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(text)) {
            for (Object o : objects) {
                pem.writeObject(o);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode PEM: " + e.getMessage(), e);
        }
        return text.toString();
    }

    private static List<Object> objects(Path file) throws TrustException {
        List<Object> out = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            Object item;
            while ((item = parser.readObject()) != null) {
                out.add(item);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new TrustException(file + ": no such file");
        } catch (IOException | RuntimeException e) {
            throw new TrustException(file + ": not a readable PEM file: " + e.getMessage(), e);
        }
        return out;
    }
}
