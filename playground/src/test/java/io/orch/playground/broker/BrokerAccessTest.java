package io.orch.playground.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.trust.LocalCa;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.activemq.command.ActiveMQTempQueue;
import org.apache.activemq.command.ActiveMQTopic;
import org.apache.activemq.security.DefaultAuthorizationMap;
import org.apache.activemq.security.SecurityContext;
import org.junit.jupiter.api.Test;

/** Roles and the authorization map without a broker; the broker tests prove the map in use. */
class BrokerAccessTest {
    private static final RolePrincipal OPERATORS = new RolePrincipal(BrokerAccess.OPERATORS);
    private static final RolePrincipal NODES = new RolePrincipal(BrokerAccess.NODES);

    @Test
    void theSiteNamesItsOperatorsAndEveryOtherCertificateIsANode() {
        BrokerAccess access = BrokerAccess.operators("alice", "bob");
        assertEquals(BrokerAccess.OPERATORS, access.roleOf("alice"));
        assertEquals(BrokerAccess.NODES, access.roleOf("web01"));
        assertEquals(BrokerAccess.NODES, access.roleOf("operator"), "never guessed from a name");
    }

    @Test
    void everyCollectiveGetsTheSameEntriesUnderItsOwnPrefix() {
        DefaultAuthorizationMap map = BrokerAccess.of(List.of("prod", "staging"), List.of("alice")).authorizationMap();
        for (String collective : List.of("prod", "staging")) {
            assertEquals(Set.of(NODES), map.getReadACLs(new ActiveMQTopic(collective + ".broadcast")));
            assertEquals(Set.of(OPERATORS), map.getWriteACLs(new ActiveMQTopic(collective + ".node.web01")));
            assertEquals(Set.of(NODES), map.getWriteACLs(new ActiveMQTopic(collective + ".registry.web01")));
        }
        assertEquals(Set.of(), map.getWriteACLs(new ActiveMQTopic("orch.broadcast")), "not a collective of this broker");
    }

    @Test
    void aCollectiveThatCouldReachAnothersDestinationsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BrokerAccess.of(List.of("orch.>"), List.of("alice")));
        assertTrue(e.getMessage().contains("invalid collective"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BrokerAccess.of(List.of(), List.of("alice")));
    }

    @Test
    void loginWithoutAClientCertificateIsRefused() {
        CertificateLoginPlugin login = new CertificateLoginPlugin(BrokerAccess.operators("alice"));
        SecurityException e = assertThrows(SecurityException.class, () -> login.login(null));
        assertTrue(e.getMessage().startsWith("no client certificate"), e.getMessage());
        assertThrows(SecurityException.class, () -> login.login(new X509Certificate[0]));
    }

    @Test
    void loginIsTheCertificatesCommonNameWithItsRole() throws Exception {
        LocalCa ca = LocalCa.create("test CA", LocalCa.KeyType.EC, Duration.ofDays(1));
        CertificateLoginPlugin login = new CertificateLoginPlugin(BrokerAccess.operators("alice"));
        SecurityContext alice = login.login(new X509Certificate[] {
                ca.issue("alice", LocalCa.KeyType.EC, Duration.ofDays(1)).certificate()});
        assertEquals("alice", alice.getUserName());
        assertEquals(Set.of(OPERATORS), alice.getPrincipals());
        SecurityContext web01 = login.login(new X509Certificate[] {
                ca.issue("web01", LocalCa.KeyType.EC, Duration.ofDays(1)).certificate()});
        assertEquals(Set.of(NODES), web01.getPrincipals());
    }

    @Test
    void aConnectionRemembersTheTopicsItMayWriteButNoTemporaryQueue() throws Exception {
        LocalCa ca = LocalCa.create("test CA", LocalCa.KeyType.EC, Duration.ofDays(1));
        SecurityContext web01 = new CertificateLoginPlugin(BrokerAccess.operators("alice")).login(
                new X509Certificate[] {ca.issue("web01", LocalCa.KeyType.EC, Duration.ofDays(1)).certificate()});
        // What ActiveMQ's authorization broker does after a send it allowed: a node answers request after request,
        // each to a new reply queue, and announces on its one registry topic.
        ActiveMQTopic registry = new ActiveMQTopic("orch.registry.web01");
        for (int request = 1; request <= 3; request++) {
            ActiveMQTempQueue reply = new ActiveMQTempQueue("ID:cli-1:1:" + request);
            web01.getAuthorizedWriteDests().put(reply, reply);
            web01.getAuthorizedWriteDests().putIfAbsent(reply, reply);
            web01.getAuthorizedWriteDests().put(registry, registry);
        }
        assertEquals(Set.of(registry), web01.getAuthorizedWriteDests().keySet());
    }
}
