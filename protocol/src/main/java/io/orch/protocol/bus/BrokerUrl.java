package io.orch.protocol.bus;

import com.google.re2j.Pattern;
import io.orch.protocol.Limits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Broker URLs as orch connects with them (every transport bounded by {@link Limits}, nodes reconnecting
 * quickly) and as it prints and logs them: never with the secrets some URLs carry.
 */
public final class BrokerUrl {
    /** Schemes whose transport speaks OpenWire over a socket: the ones a frame size and inactivity apply to. */
    private static final Set<String> SOCKET_SCHEMES = Set.of("tcp", "ssl", "nio", "nio+ssl", "auto", "auto+ssl",
            "auto+nio", "auto+nio+ssl");
    private static final String FAILOVER = "failover:";

    /** {@code user:password@} before a host. */
    private static final Pattern USER_INFO = Pattern.compile("(://)[^/@()?,]*@");
    /** Any option whose name says it holds a secret: {@code jms.password}, {@code keyStorePassword}, ... */
    private static final Pattern SECRET_OPTION = Pattern.compile(
            "(?i)([?&](?:[a-z0-9_.]*)(?:password|passphrase|secret|token)[a-z0-9_.]*=)[^&),]*");

    private BrokerUrl() {
    }

    /** {@code url} with user info and secret options replaced by {@code ***}. */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        String out = USER_INFO.matcher(url).replaceAll("$1***@");
        return SECRET_OPTION.matcher(out).replaceAll("$1***");
    }

    /**
     * {@code url} with orch's transport limits on each broker transport in it, also inside
     * {@code failover:(...)}: {@code wireFormat.maxFrameSize} {@link Limits#MAX_FRAME_BYTES} and
     * {@code wireFormat.maxInactivityDuration} {@link Limits#MAX_INACTIVITY_MS}. A value the URL already
     * gives stays if it is stricter (positive and lower); a looser one, or 0 (off), is replaced. Other
     * schemes ({@code vm:}, discovery) pass unchanged.
     */
    public static String withTransportLimits(String url) {
        if (url == null) {
            return null;
        }
        String u = url.trim();
        if (!u.startsWith(FAILOVER)) {
            return limited(u);
        }
        Failover f = Failover.parse(u);
        if (f == null) {
            return u;
        }
        return f.withUris(f.uris.stream().map(BrokerUrl::limited).toList()).toString();
    }

    /**
     * A node's URL: it must outlive broker restarts and come back within seconds of the broker. A plain URL is
     * wrapped in {@code failover:(...)}; a failover URL keeps the operator's options and gets orch's for those it
     * does not set: back-off from {@link Limits#RECONNECT_INITIAL_DELAY_MS} doubling up to
     * {@link Limits#RECONNECT_MAX_DELAY_MS}, and sends bounded by {@link Limits#MAX_SEND_WHILE_DISCONNECTED_MS}.
     * Every transport in it gets {@link #withTransportLimits}.
     *
     * @param startupAttempts connection attempts at start before giving up (then for ever once connected);
     *                        0 waits for the broker however long it takes, as a daemon should
     */
    public static String reconnecting(String url, int startupAttempts) {
        String u = url.trim();
        Failover f = u.startsWith(FAILOVER) ? Failover.parse(u) : new Failover(List.of(u), new LinkedHashMap<>());
        if (f == null) {
            return u;
        }
        f = f.withUris(f.uris.stream().map(BrokerUrl::limited).toList());
        f.options.putIfAbsent("initialReconnectDelay", Integer.toString(Limits.RECONNECT_INITIAL_DELAY_MS));
        f.options.putIfAbsent("maxReconnectDelay", Integer.toString(Limits.RECONNECT_MAX_DELAY_MS));
        f.options.putIfAbsent("useExponentialBackOff", "true");
        f.options.putIfAbsent("timeout", Integer.toString(Limits.MAX_SEND_WHILE_DISCONNECTED_MS));
        if (startupAttempts > 0) {
            f.options.putIfAbsent("startupMaxReconnectAttempts", Integer.toString(startupAttempts));
        }
        return f.toString();
    }

    /** One transport URI with the frame and inactivity limits. */
    private static String limited(String uri) {
        int scheme = uri.indexOf("://");
        if (scheme < 0 || !SOCKET_SCHEMES.contains(uri.substring(0, scheme).toLowerCase(java.util.Locale.ROOT))) {
            return uri;
        }
        String authority = uri.substring(scheme + 3);
        if (authority.isEmpty() || authority.startsWith("?") || authority.startsWith("/")) {
            return uri; // no host: left as typed, for ActiveMQ to name the mistake
        }
        int q = uri.indexOf('?');
        String base = q < 0 ? uri : uri.substring(0, q);
        Map<String, String> options = parseOptions(q < 0 ? "" : uri.substring(q + 1));
        atMost(options, "wireFormat.maxFrameSize", Limits.MAX_FRAME_BYTES);
        atMost(options, "wireFormat.maxInactivityDuration", Limits.MAX_INACTIVITY_MS);
        return base + query(options);
    }

    private static void atMost(Map<String, String> options, String name, long limit) {
        String given = options.get(name);
        try {
            if (given != null && Long.parseLong(given.trim()) > 0 && Long.parseLong(given.trim()) <= limit) {
                return;
            }
        } catch (NumberFormatException e) {
            // not a number: ours instead
        }
        options.put(name, Long.toString(limit));
    }

    /** {@code a=1&b=2} in order; a name without a value keeps an empty one. */
    private static Map<String, String> parseOptions(String query) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            options.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
        }
        return options;
    }

    private static String query(Map<String, String> options) {
        if (options.isEmpty()) {
            return "";
        }
        StringBuilder q = new StringBuilder();
        options.forEach((k, v) -> q.append(q.length() == 0 ? '?' : '&').append(k).append('=').append(v));
        return q.toString();
    }

    /**
     * {@code failover:(uri,uri)?options}. Without parentheses, ActiveMQ reads options after {@code ?} as the
     * last URI's, so {@code failover:a,b?x=1} is kept as {@code failover:(a,b?x=1)}.
     */
    private record Failover(List<String> uris, Map<String, String> options) {
        /** @return null for unbalanced parentheses: left as typed, for ActiveMQ to name the mistake */
        static Failover parse(String url) {
            String rest = url.substring(FAILOVER.length()).trim();
            if (rest.startsWith("(")) {
                int close = rest.indexOf(')');
                if (close > 0) {
                    String after = rest.substring(close + 1);
                    return new Failover(split(rest.substring(1, close)),
                            parseOptions(after.startsWith("?") ? after.substring(1) : after));
                }
                return null;
            }
            return new Failover(split(rest), new LinkedHashMap<>());
        }

        private static List<String> split(String uris) {
            List<String> list = new ArrayList<>();
            for (String u : uris.split(",")) {
                list.add(u.trim());
            }
            return list;
        }

        Failover withUris(List<String> newUris) {
            return new Failover(newUris, options);
        }

        @Override
        public String toString() {
            return FAILOVER + "(" + String.join(",", uris) + ")" + query(options);
        }
    }
}
