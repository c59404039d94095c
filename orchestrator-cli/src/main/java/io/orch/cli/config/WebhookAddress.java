package io.orch.cli.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** The address {@code --notify} posts to: checked before a run starts, and never printed whole. */
public final class WebhookAddress {
    private WebhookAddress() {
    }

    /** @return why {@code value} cannot be posted to, or null when it can */
    public static String problem(String value) {
        if (value == null || value.isBlank()) {
            return "the value is empty";
        }
        URI uri;
        try {
            uri = new URI(value.trim());
        } catch (URISyntaxException e) {
            return "'" + redacted(value) + "' is not an address: " + e.getReason();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return "'" + redacted(value) + "' is not an http or https address (e.g. https://hooks.example.com/...)";
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return "'" + redacted(value) + "' names no host";
        }
        if (uri.getRawUserInfo() != null) {
            // The JDK's client would not send it, and a password in the address would be printed by mistake.
            return "'" + redacted(value) + "' has a user name or password in it; put the secret in the path, as "
                    + "Slack's and Mattermost's webhook addresses do";
        }
        return null;
    }

    /**
     * Whether a post to {@code uri} crosses a network in clear text: plain http to a host that is not this machine.
     * The path (the webhook's secret) and the summary can then be read on the way.
     */
    public static boolean unencrypted(URI uri) {
        if (!"http".equalsIgnoreCase(uri.getScheme())) {
            return false;
        }
        String host = uri.getHost();
        return !(host.equalsIgnoreCase("localhost") || host.startsWith("127.") || host.equals("[::1]")
                || host.equals("::1"));
    }

    /** The address as parsed; call after {@link #problem} found nothing. */
    public static URI of(String value) {
        return URI.create(value.trim());
    }

    /**
     * Only the scheme and host: a webhook's path is its secret (anyone holding it may post), and the
     * address turns up in warnings, {@code orch config show} and the report's options.
     */
    public static String redacted(String value) {
        try {
            URI uri = new URI(value.trim());
            if (uri.getScheme() != null && uri.getHost() != null) {
                return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
                        + "/...";
            }
        } catch (URISyntaxException e) {
            // shown as below
        }
        return "(an address that is not shown)";
    }
}
