package io.orch.responder.metrics;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the node's metrics current: reads the state every interval (and when asked, at start and once the
 * journal is settled), writes the text file for node_exporter, and serves the last text over HTTP when a
 * listen address is set. A scrape only reads what was last written; it never runs a detector.
 *
 * <p>The file is replaced whole (a new file beside it, renamed over it), so node_exporter never reads half of
 * it, and it is readable by everyone (0644): node_exporter runs as another user, and nothing in it is secret.
 * A folder that is not there (node_exporter not installed yet) is warned about once and tried again every
 * interval; metrics never stop a node from answering.
 */
public final class MetricsPublisher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsPublisher.class);

    /** Threads that answer scrapes: a stalled connection holds one, never the refresh. */
    private static final int HTTP_THREADS = 4;

    private final NodeMetrics metrics;
    private final Path file;
    private final String version;
    private final ScheduledExecutorService timer;
    private final HttpServer http;
    private volatile String last = "";
    /** The last failure to write the file, so it is logged once, not every interval. */
    private String failing;

    /** Whether {@link #timer} is this publisher's own, to shut down on close (else a lab's shared one). */
    private final boolean ownTimer;
    private volatile java.util.concurrent.ScheduledFuture<?> schedule;

    private MetricsPublisher(NodeMetrics metrics, Path file, String version, HttpServer http,
                             ScheduledExecutorService timer) {
        this.metrics = metrics;
        this.file = file;
        this.version = version;
        this.http = http;
        this.ownTimer = timer == null;
        this.timer = timer != null ? timer : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "metrics");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * As {@link #start} without HTTP, on a scheduler many nodes share (the lab's): the file is written once now,
     * then every {@code intervalS}, until {@link #close}.
     */
    public static MetricsPublisher startOn(ScheduledExecutorService timer, NodeMetrics metrics, Path file,
                                           int intervalS, String version) {
        MetricsPublisher publisher = new MetricsPublisher(metrics, file, version, null,
                java.util.Objects.requireNonNull(timer, "timer == null"));
        publisher.refresh();
        publisher.schedule = timer.scheduleWithFixedDelay(publisher::refresh, intervalS, intervalS, TimeUnit.SECONDS);
        return publisher;
    }

    /**
     * Writes the metrics once, then every {@code intervalS}.
     *
     * @param file   the text file, or null for none
     * @param listen {@code host:port} to serve {@code /metrics} on, or null for none
     * A listen address that cannot be bound (the port is taken) is a warning: the node serves on without
     * {@code /metrics}, and the file is kept as configured.
     */
    public static MetricsPublisher start(NodeMetrics metrics, Path file, String listen, int intervalS,
                                         String version) {
        HttpServer http = null;
        if (listen != null) {
            try {
                http = HttpServer.create(address(listen), 0);
            } catch (IOException e) {
                // The node must answer whatever its monitoring extras do: the file still works.
                log.warn("metrics.listen {}: cannot listen there ({}); /metrics is off until the responder restarts, "
                        + "the metrics file is kept as configured", listen, e.toString());
            }
        }
        MetricsPublisher publisher = new MetricsPublisher(metrics, file, version, http, null);
        if (http != null) {
            http.createContext("/metrics", exchange -> {
                try (exchange) {
                    if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                        exchange.sendResponseHeaders(405, -1);
                        return;
                    }
                    byte[] body = publisher.last.getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                    exchange.sendResponseHeaders(200, exchange.getRequestMethod().equals("HEAD") ? -1 : body.length);
                    if (!exchange.getRequestMethod().equals("HEAD")) {
                        try (OutputStream out = exchange.getResponseBody()) {
                            out.write(body);
                        }
                    }
                }
            });
            // A slow scraper holds up only the next scrape, never the refresh.
            http.setExecutor(Executors.newFixedThreadPool(HTTP_THREADS, r -> {
                Thread t = new Thread(r, "metrics-http");
                t.setDaemon(true);
                return t;
            }));
            http.start();
        }
        publisher.refresh();
        publisher.schedule = publisher.timer.scheduleWithFixedDelay(publisher::refresh, intervalS, intervalS,
                TimeUnit.SECONDS);
        return publisher;
    }

    /** {@code host:port}, {@code [v6]:port} or {@code :port} (every address). */
    public static InetSocketAddress address(String listen) {
        int colon = listen.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("metrics.listen '" + listen + "' is not host:port (e.g. 127.0.0.1:9469)");
        }
        String host = listen.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            // 0 takes any free port (tests); port() says which.
            throw new IllegalArgumentException("metrics.listen '" + listen + "' has no port between 1 and 65535");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    /** From now on the metrics say when {@code responder} last admitted a request. */
    public void attach(io.orch.responder.node.Responder responder) {
        metrics.attach(responder);
    }

    /** Reads the state now and writes it; also what the timer runs. Never throws. */
    public void refresh() {
        try {
            last = PrometheusText.of(metrics.snapshot(), version);
        } catch (RuntimeException e) {
            log.warn("cannot read the node's state for its metrics: {}", e.toString());
            return;
        }
        if (file != null) {
            write(last);
        }
    }

    /** Reads the state and writes it on the metrics thread, without holding up the caller. */
    public void refreshSoon() {
        try {
            timer.execute(this::refresh);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    private synchronized void write(String text) {
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS))) {
                out.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            }
            if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                // The service's umask (0077) would leave it to root; node_exporter reads it as another user. Never
                // through a symlink: whoever else may write this folder could have put one in the file's place.
                Files.getFileAttributeView(tmp, java.nio.file.attribute.PosixFileAttributeView.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS).setPermissions(PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (failing != null) {
                log.info("metrics file {} is written again", file);
                failing = null;
            }
        } catch (IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException
                    ? "its folder " + file.getParent() + " does not exist (is node_exporter installed?)" : e.toString();
            if (!why.equals(failing)) {
                log.warn("cannot write the metrics file {}: {}; trying again every interval", file, why);
                failing = why;
            }
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // a hidden leftover with a random name
            }
        }
    }

    /** The last text written (what {@code /metrics} serves). */
    public String last() {
        return last;
    }

    /** The port {@code /metrics} is served on, or -1. */
    public int port() {
        return http == null ? -1 : http.getAddress().getPort();
    }

    @Override
    public void close() {
        if (http != null) {
            http.stop(0);
        }
        java.util.concurrent.ScheduledFuture<?> s = schedule;
        if (s != null) {
            s.cancel(false);
        }
        if (ownTimer) {
            timer.shutdownNow();
        }
    }
}
