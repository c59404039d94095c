package io.orch.cli.client;

import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What a command that talks to the broker sets up whatever its options say, done on a second thread
 * while the main one reads the configuration and parses the command line (a third of a short run):
 * logging, ActiveMQ's client classes and the host name in its ids, the JDK's X.509, PKIX and TLS machinery, and Bouncy Castle's
 * Ed25519 tables. The command waits for it ({@link #await}) before it uses any of those libraries itself,
 * so they are never set up from two threads at once.
 *
 * <p>Given a {@link EarlyConnection.Plan} (what the configuration and a first look at the arguments say the
 * command will connect with), it also begins that connection and reads the operator's key, which a command whose
 * parsed options give the same plan takes over ({@link #claim}); otherwise it only loads and initialises classes.
 */
public final class HeadStart {
    /** No head start: {@link #await} returns at once. */
    public static final HeadStart NONE = new HeadStart(true, null, null);

    /** The subcommands that connect to the broker; any other (and {@code --version}, {@code --help}) gets none. */
    private static final Set<String> CONNECTING = Set.of("reboot", "cancel", "status", "ping", "discover",
            "inventory", "watch");

    /** The set-up thread; null for {@link #NONE}. */
    private final Thread thread;
    /** The early connection, once begun, until claimed; guarded by this. */
    private EarlyConnection early;
    /** Whether {@link #claim} ran: an early connection that comes later is closed at once. Guarded by this. */
    private boolean claimed;
    /** What {@link #claim} did, for tests and diagnostics: none, taken or discarded. Guarded by this. */
    private String outcome = "none";

    private HeadStart(boolean none, EarlyConnection.Plan plan,
                      Function<EarlyConnection.Plan, ClientSecurity> loadKey) {
        this.thread = none ? null : new Thread(() -> {
            warmLogging();
            if (plan != null) {
                keep(EarlyConnection.begin(plan, loadKey));
            }
            warm();
        }, "orch-head-start");
    }

    /**
     * Starts one for the subcommand {@code args} name, when it connects to the broker. Call it once the
     * logging configuration is chosen ({@code logback.configurationFile}): the head start sets logging up.
     */
    public static HeadStart begin(String[] args) {
        return begin(args, null, null);
    }

    /**
     * As {@link #begin(String[])}, and when {@code plan} is not null also begins that connection, reading the key
     * with {@code loadKey} (the command's own loader, so that what it checks is the same).
     */
    public static HeadStart begin(String[] args, EarlyConnection.Plan plan,
                                  Function<EarlyConnection.Plan, ClientSecurity> loadKey) {
        if (args.length == 0 || !CONNECTING.contains(args[0])) {
            return NONE;
        }
        HeadStart headStart = new HeadStart(false, plan, loadKey);
        headStart.thread.setDaemon(true); // never keeps the process alive
        headStart.thread.start();
        return headStart;
    }

    private synchronized void keep(EarlyConnection connection) {
        if (connection == null) {
            return;
        }
        if (claimed) {
            connection.close();
        } else {
            early = connection;
        }
    }

    /**
     * The early connection, when it was begun with exactly {@code plan}; any other is closed, as is one that
     * begins after this call. Call it once, after {@link #await}.
     */
    public Optional<EarlyConnection> claim(EarlyConnection.Plan plan) {
        if (thread == null) {
            return Optional.empty();
        }
        EarlyConnection connection;
        synchronized (this) {
            claimed = true;
            connection = early;
            early = null;
            if (connection == null) {
                return Optional.empty();
            }
            outcome = connection.plan().equals(plan) ? "taken" : "discarded";
        }
        if (connection.plan().equals(plan)) {
            return Optional.of(connection);
        }
        connection.close();
        return Optional.empty();
    }

    /** Closes an early connection that no command took (a command line that did not parse, say). */
    public void close() {
        claim(null);
    }

    /** What became of the early connection: {@code none} (there was none), {@code taken} or {@code discarded}. */
    public synchronized String outcome() {
        return outcome;
    }

    /**
     * Waits until it is done, at most {@link io.orch.protocol.Limits#CLI_HEAD_START_WAIT_MS}; at once when there
     * is none or it is over. It is only a warm-up: a head start stuck on a slow name lookup is left behind, and
     * the command does the same work itself, bounded by its own timeouts.
     */
    public void await() {
        if (thread == null) {
            return;
        }
        try {
            thread.join(io.orch.protocol.Limits.CLI_HEAD_START_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Logging first: ActiveMQ's classes ask for loggers. */
    private static void warmLogging() {
        try {
            org.slf4j.LoggerFactory.getLogger(org.apache.activemq.ActiveMQConnectionFactory.class);
        } catch (RuntimeException | LinkageError e) {
            // Only a head start: whatever failed here fails again where it is needed, and is reported there.
        }
    }

    private static void warm() {
        try {
            // In the order a connection needs them (with an early connection, most are set up by then).
            new org.apache.activemq.ActiveMQSslConnectionFactory();
            new org.apache.activemq.util.IdGenerator(); // the host name it puts in every id: a name lookup
            java.security.cert.CertificateFactory.getInstance("X.509");
            java.security.cert.CertPathValidator.getInstance("PKIX");
            javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
            javax.net.ssl.SSLContext.getInstance("TLS");
            org.bouncycastle.math.ec.rfc8032.Ed25519.precompute();
        } catch (java.security.GeneralSecurityException | RuntimeException | LinkageError e) {
            // Only a head start: whatever failed here fails again where it is needed, and is reported there.
        }
    }
}
