package io.orch.trust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Keys made ready once sign and check like the one-off calls, from a key object or its encoding. */
class SignaturesTest {
    private static final byte[] BODY = "{\"protocol\":\"orch.reply.v1\"}".getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @EnumSource(LocalCa.KeyType.class)
    void aPreparedKeySignsWhatTheCertificatesKeyChecksAndNothingElse(LocalCa.KeyType type) throws Exception {
        KeyPair keys = type.generate();
        Signatures.Signer signer = Signatures.signer(keys.getPrivate());
        byte[] signature = signer.sign(BODY);
        for (Signatures.Checker checker : new Signatures.Checker[] {
            Signatures.checker(keys.getPublic()),
            Signatures.checker(keys.getPublic().getAlgorithm(), keys.getPublic().getEncoded())}) {
            assertTrue(checker.verify(BODY, signature));
            assertTrue(Signatures.verify(keys.getPublic(), BODY, Signatures.sign(keys.getPrivate(), BODY)));
            byte[] changed = BODY.clone();
            changed[3] ^= 1;
            assertFalse(checker.verify(changed, signature));
            assertFalse(checker.verify(BODY, new byte[] {1, 2, 3}), "a malformed signature is false, not an error");
        }
        if (type == LocalCa.KeyType.ED25519) {
            assertArrayEquals(signature, signer.sign(BODY), "Ed25519 signatures are deterministic");
        }
        KeyPair other = type.generate();
        assertFalse(Signatures.checker(other.getPublic()).verify(BODY, signature));
    }

    @Test
    void ed448KeysWhichTheJdkAlsoCallsEdDsaAreRefusedWithAReason() throws Exception {
        KeyPair ed448 = KeyPairGenerator.getInstance("Ed448").generateKeyPair();
        TrustException signing = assertThrows(TrustException.class, () -> Signatures.signer(ed448.getPrivate()));
        assertTrue(signing.getMessage().contains("not Ed448"), signing.getMessage());
        TrustException checking = assertThrows(TrustException.class, () -> Signatures.checker(ed448.getPublic()));
        assertTrue(checking.getMessage().contains("not Ed448"), checking.getMessage());
        assertThrows(TrustException.class,
                () -> Signatures.checker(ed448.getPublic().getAlgorithm(), ed448.getPublic().getEncoded()));
    }
}
