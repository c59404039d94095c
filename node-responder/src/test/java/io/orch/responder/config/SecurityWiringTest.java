package io.orch.responder.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.responder.policy.PolicyAction;
import io.orch.responder.security.NodeSecurity;
import io.orch.trust.LocalCa;
import io.orch.trust.SecuritySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ResponderWiring#security}: a node starts fully trusted or not at all. Missing, foreign or
 * badly protected key material is a config error that names the file and what to do.
 */
class SecurityWiringTest {
    private static final String IDENTITY = "web01";
    private static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    Path dir;

    private LocalCa ca;
    private Path ssl;
    private Path noPolicy;

    @BeforeEach
    void layout() throws Exception {
        ca = LocalCa.create("wiring test CA", LocalCa.KeyType.EC, Duration.ofDays(2));
        ssl = dir.resolve("ssl");
        noPolicy = dir.resolve("no-policy.yaml");
        ca.writeLayout(ssl, ca.issue(IDENTITY, LocalCa.KeyType.EC, Duration.ofDays(1)), List.of(), ca.crl());
    }

    private ResponderConfig config(SecuritySettings settings) {
        return ResponderConfig.defaults().withSecurity(settings, noPolicy.toString());
    }

    private NodeSecurity security(SecuritySettings settings) throws ConfigException {
        return ResponderWiring.security(config(settings), IDENTITY, CLOCK);
    }

    private ConfigException refused(SecuritySettings settings) {
        return assertThrows(ConfigException.class, () -> security(settings));
    }

    private static void assertSaysWhatToDo(ConfigException e) {
        assertTrue(e.getMessage().startsWith("security: "), e.getMessage());
        assertTrue(e.getMessage().contains("Set security.ssl_dir (a Puppet-style ssl folder) or security.ca/cert/key "
                + "in the config; 'orch pki' makes a CA for sites without one"), e.getMessage());
    }

    @Test
    void controlAPuppetLayoutForTheIdentityStartsANodeThatSignsAndVerifies() throws Exception {
        NodeSecurity security = security(SecuritySettings.puppet(ssl, null));

        assertFalse(security.insecure());
        assertEquals(IDENTITY, security.name());
        assertTrue(security.sealer().signs());
        assertTrue(security.verifier().verifies());
        // No policy file: the default policy, never "allow all" on a node that verifies.
        assertFalse(security.policy().current().decide("test-operator", PolicyAction.REBOOT, path -> null,
                Instant.now()).allowed());
    }

    @ParameterizedTest
    @ValueSource(strings = {"certs/ca.pem", "certs/web01.pem", "private_keys/web01.pem"})
    void missingSecurityFileIsAConfigErrorNamingItAndSayingWhatToDo(String file) throws Exception {
        Files.delete(ssl.resolve(file));

        ConfigException e = refused(SecuritySettings.puppet(ssl, null));

        assertTrue(e.getMessage().contains(ssl.resolve(file) + ": no such file"), e.getMessage());
        assertSaysWhatToDo(e);
    }

    @Test
    void emptySslDirNamesTheCaBundleFirst() {
        Path empty = dir.resolve("empty-ssl");

        ConfigException e = refused(SecuritySettings.puppet(empty, null));

        assertTrue(e.getMessage().contains(empty.resolve("certs/ca.pem") + ": no such file"), e.getMessage());
        assertSaysWhatToDo(e);
    }

    @Test
    void certificateForAnotherNameThanTheIdentityIsAConfigError() throws Exception {
        ca.writeLayout(ssl, ca.issue("web02", LocalCa.KeyType.EC, Duration.ofDays(1)), List.of(), ca.crl());
        Path cert = ssl.resolve("certs/web02.pem");

        ConfigException e = refused(SecuritySettings.files(ssl.resolve("certs/ca.pem"), null, cert,
                ssl.resolve("private_keys/web02.pem")));

        assertEquals("security: certificate " + cert + " is for 'web02', but this node's identity is 'web01'; set "
                + "identity (or security.certname) so they agree: the CLI believes a reply only from the node its "
                + "certificate names", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-r-----", "rw-r--r--", "rw-rw----"})
    void privateKeyOthersCanReadIsRefusedWithTheChmodToRun(String permissions) throws Exception {
        Path key = ssl.resolve("private_keys/web01.pem");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString(permissions));
        notRootGroup(key); // group root may read (Puppet's 0640): tested in trust's PemTest

        ConfigException e = refused(SecuritySettings.puppet(ssl, null));

        assertTrue(e.getMessage().contains("private key " + key + " is accessible by others (" + permissions + ")"),
                e.getMessage());
        assertTrue(e.getMessage().contains("chmod 600 " + key), e.getMessage());
        assertSaysWhatToDo(e);
    }

    @Test
    void certificateOfAnotherCaIsAConfigError() throws Exception {
        LocalCa other = LocalCa.create("wiring test CA", LocalCa.KeyType.EC, Duration.ofDays(2));
        Path foreign = dir.resolve("foreign");
        other.writeLayout(foreign, other.issue(IDENTITY, LocalCa.KeyType.EC, Duration.ofDays(1)), List.of(),
                other.crl());

        ConfigException e = refused(SecuritySettings.files(ssl.resolve("certs/ca.pem"), null,
                foreign.resolve("certs/web01.pem"), foreign.resolve("private_keys/web01.pem")));

        assertTrue(e.getMessage().contains(foreign.resolve("certs/web01.pem") + ": certificate 'CN=web01' is not "
                + "from the site's CA"), e.getMessage());
        assertSaysWhatToDo(e);
    }

    @Test
    void revokedNodeCertificateIsAConfigError() throws Exception {
        LocalCa.Issued revoked = ca.issue(IDENTITY, LocalCa.KeyType.EC, Duration.ofDays(1));
        ca.writeLayout(ssl, revoked, List.of(), ca.crl(revoked.certificate()));

        ConfigException e = refused(SecuritySettings.puppet(ssl, null));

        assertTrue(e.getMessage().contains("certificate 'CN=web01' is not trusted: revoked"), e.getMessage());
        assertSaysWhatToDo(e);
    }

    @Test
    void insecureModeReadsNoFilesSignsNothingAndWithoutAPolicyAllowsEverything() throws Exception {
        NodeSecurity security = ResponderWiring.security(config(SecuritySettings.insecureMode()), IDENTITY, CLOCK);

        assertTrue(security.insecure());
        assertFalse(security.sealer().signs());
        assertTrue(security.policy().current().decide("anyone", PolicyAction.FORCE, path -> null, Instant.now())
                .allowed());
    }

    /** A group-readable key counts as exposed unless its group is root: give it another group when we can. */
    static void notRootGroup(java.nio.file.Path file) {
        try {
            java.nio.file.attribute.GroupPrincipal nogroup = file.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByGroupName("nogroup");
            java.nio.file.Files.getFileAttributeView(file, java.nio.file.attribute.PosixFileAttributeView.class)
                    .setGroup(nogroup);
        } catch (java.io.IOException | UnsupportedOperationException e) {
            // not root, or no such group: the file keeps the user's own group, which is not root either
        }
    }
}
