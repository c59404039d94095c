package io.orch.playground.broker;

import io.orch.trust.SiteCa;
import io.orch.trust.TrustException;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.activemq.broker.Broker;
import org.apache.activemq.broker.BrokerFilter;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.ConnectionContext;
import org.apache.activemq.command.ActiveMQDestination;
import org.apache.activemq.command.ConnectionInfo;
import org.apache.activemq.security.SecurityContext;

/**
 * Logs a connection in as its TLS client certificate's common name, with the role {@link BrokerAccess}
 * gives that name. The TLS layer has already checked the certificate against the site's CA and CRLs
 * (the broker listens only on {@code ssl://} with client authentication required), so this only reads
 * the name. A connection without a client certificate (an in-JVM {@code vm://} one, say) is refused. It
 * does in-process what the standalone broker's JAAS {@code TextFileCertificateLoginModule} does, without
 * JAAS's JVM-wide configuration.
 */
final class CertificateLoginPlugin implements BrokerPlugin {
    private final BrokerAccess access;

    CertificateLoginPlugin(BrokerAccess access) {
        this.access = Objects.requireNonNull(access, "access == null");
    }

    @Override
    public Broker installPlugin(Broker broker) {
        return new BrokerFilter(broker) {
            @Override
            public void addConnection(ConnectionContext context, ConnectionInfo info) throws Exception {
                if (context.getSecurityContext() == null) {
                    context.setSecurityContext(login(info.getTransportContext()));
                }
                super.addConnection(context, info);
            }

            @Override
            public void removeConnection(ConnectionContext context, ConnectionInfo info, Throwable error)
                    throws Exception {
                super.removeConnection(context, info, error);
                context.setSecurityContext(null);
            }
        };
    }

    SecurityContext login(Object transportContext) {
        if (!(transportContext instanceof X509Certificate[] chain) || chain.length == 0) {
            throw new SecurityException("no client certificate: this broker accepts only TLS connections with a "
                    + "certificate of the site's CA");
        }
        String name;
        try {
            name = SiteCa.commonName(chain[0]);
        } catch (TrustException e) {
            throw new SecurityException(e.getMessage(), e);
        }
        Set<Principal> principals = Set.of(new RolePrincipal(access.roleOf(name)));
        ConcurrentMap<ActiveMQDestination, ActiveMQDestination> writeGrants = new PermanentWriteGrants();
        return new SecurityContext(name) {
            @Override
            public Set<Principal> getPrincipals() {
                return principals;
            }

            @Override
            public ConcurrentMap<ActiveMQDestination, ActiveMQDestination> getAuthorizedWriteDests() {
                return writeGrants;
            }
        };
    }

    /**
     * The destinations a connection was found allowed to write, which ActiveMQ's authorization broker keeps
     * so as not to check them again, without the temporary ones. It never forgets one: a node's connection
     * would keep the reply queue of every request it ever answered (each CLI run makes a new one, and only
     * the connection that deletes a queue forgets it), some hundreds of bytes per request answered, for as
     * long as the connection lives (bench/soak.sh found it). A send to a temporary queue is then checked
     * each time against the temporary destinations' rule, which costs a set lookup.
     */
    static final class PermanentWriteGrants extends ConcurrentHashMap<ActiveMQDestination, ActiveMQDestination> {
        private static final long serialVersionUID = 1L;

        @Override
        public ActiveMQDestination put(ActiveMQDestination key, ActiveMQDestination value) {
            return key.isTemporary() ? null : super.put(key, value);
        }

        @Override
        public ActiveMQDestination putIfAbsent(ActiveMQDestination key, ActiveMQDestination value) {
            return key.isTemporary() ? null : super.putIfAbsent(key, value);
        }
    }
}
