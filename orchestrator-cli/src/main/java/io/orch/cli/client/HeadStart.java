package io.orch.cli.client;

import java.util.Set;

/**
 * What a command that talks to the broker sets up whatever its options say, done on a second thread
 * while the main one reads the configuration and parses the command line (a third of a short run):
 * logging, ActiveMQ's client classes and the host name in its ids, the JDK's X.509, PKIX and TLS machinery, and Bouncy Castle's
 * Ed25519 tables. It only loads and initialises classes: it reads no file of the user's, opens no
 * connection and keeps nothing. The command waits for it ({@link #await}) before it uses any of those
 * libraries itself, so they are never set up from two threads at once.
 */
public final class HeadStart {
    /** No head start: {@link #await} returns at once. */
    public static final HeadStart NONE = new HeadStart(null);

    /** The subcommands that connect to the broker; any other (and {@code --version}, {@code --help}) gets none. */
    private static final Set<String> CONNECTING = Set.of("reboot", "cancel", "status", "ping", "discover",
            "inventory", "watch");

    private final Thread thread;

    private HeadStart(Thread thread) {
        this.thread = thread;
    }

    /**
     * Starts one for the subcommand {@code args} name, when it connects to the broker. Call it once the
     * logging configuration is chosen ({@code logback.configurationFile}): the head start sets logging up.
     */
    public static HeadStart begin(String[] args) {
        if (args.length == 0 || !CONNECTING.contains(args[0])) {
            return NONE;
        }
        Thread thread = new Thread(HeadStart::warm, "orch-head-start");
        thread.setDaemon(true); // never keeps the process alive
        thread.start();
        return new HeadStart(thread);
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

    private static void warm() {
        try {
            // In the order a connection needs them. Logging first: ActiveMQ's classes ask for loggers.
            org.slf4j.LoggerFactory.getLogger(org.apache.activemq.ActiveMQConnectionFactory.class);
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
