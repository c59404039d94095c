package io.orch.protocol.bus;

import com.google.re2j.Pattern;

/** Broker URLs as orch prints and logs them: never with the secrets some URLs carry. */
public final class BrokerUrl {
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
}
