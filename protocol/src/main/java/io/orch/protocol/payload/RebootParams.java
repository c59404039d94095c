package io.orch.protocol.payload;

import io.orch.protocol.Limits;
import java.util.List;
import java.util.Objects;

/**
 * The params of {@code reboot}: the transient reboot resource, modelled on Puppet's {@code reboot} type.
 * The constructor refuses what a node refuses, with the message the node answers {@code invalid} with.
 *
 * @param when         {@code pending}: reboot only if a reboot is pending; {@code refreshed}: regardless (needs force)
 * @param force        the operator confirms a reboot with nothing pending; sent only when true
 * @param noop         say what would happen, change nothing
 * @param delaySeconds 0 to {@value Limits#MAX_REBOOT_DELAY_SECONDS} between the decision and the reboot
 * @param message      what logged-in users and the event log see; {@link #DEFAULT_MESSAGE} is not sent
 * @param onlyif       reboot only for these pending reasons (names); empty: all
 * @param unless       ignore these pending reasons (names); empty: none
 */
public record RebootParams(When when, boolean force, boolean noop, long delaySeconds, String message,
                           List<String> onlyif, List<String> unless) implements ActionParams {

    public static final long DEFAULT_DELAY_SECONDS = 60;
    public static final String DEFAULT_MESSAGE = "orch: rebooting to complete pending updates";
    /** What a node assumes for {@code {}}: reboot in 60 s if something is pending. */
    public static final RebootParams DEFAULT = new RebootParams(When.PENDING, false, false, DEFAULT_DELAY_SECONDS,
            DEFAULT_MESSAGE, List.of(), List.of());

    public enum When {
        PENDING, REFRESHED;

        public String wireName() {
            return Copies.wire(this);
        }
    }

    // The checks below are the node's rules, each throwing the message a node answers {@code invalid} with.
    // Codec.decodeParams applies them field by field in wire order; the constructor applies them all.

    public RebootParams {
        Objects.requireNonNull(when, "when == null");
        message = message == null ? DEFAULT_MESSAGE : message;
        onlyif = Copies.list(onlyif);
        unless = Copies.list(unless);
        checkForce(when, force);
        checkDelay(delaySeconds);
        checkMessage(message);
        onlyif.forEach(name -> checkReasonName("onlyif", name));
        unless.forEach(name -> checkReasonName("unless", name));
        checkReasonCount("onlyif", onlyif.size());
        checkReasonCount("unless", unless.size());
        checkNotBoth(onlyif, unless);
    }

    public static void checkForce(When when, boolean force) {
        if (when == When.REFRESHED && !force) {
            throw new IllegalArgumentException("when => refreshed reboots even when nothing is pending; "
                    + "it needs force: true");
        }
    }

    public static void checkDelay(long seconds) {
        if (seconds < 0 || seconds > Limits.MAX_REBOOT_DELAY_SECONDS) {
            throw new IllegalArgumentException("param 'delay_s' must be between 0 and " + Limits.MAX_REBOOT_DELAY_SECONDS
                    + ", got " + seconds);
        }
    }

    public static void checkMessage(String text) {
        if (text.length() > Limits.MAX_REBOOT_MESSAGE_CHARS) {
            throw messageNotText();
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("param 'message' must not contain control characters");
        }
        if (text.startsWith("-")) {
            // shutdown reads options after the time too: a message "-P" would power the node off.
            throw new IllegalArgumentException("param 'message' must not start with '-': the reboot command "
                    + "would read it as an option");
        }
    }

    public static IllegalArgumentException messageNotText() {
        return new IllegalArgumentException("param 'message' must be a string of at most " + Limits.MAX_REBOOT_MESSAGE_CHARS
                + " characters");
    }

    /** Only a list given but empty or too long is refused; an empty list here means "not given". */
    public static void checkReasonCount(String param, int size) {
        if (size > Limits.MAX_REASON_NAMES) {
            throw reasonCount(param);
        }
    }

    public static IllegalArgumentException reasonCount(String param) {
        return new IllegalArgumentException("param '" + param + "' must be a list of 1-" + Limits.MAX_REASON_NAMES
                + " reason names");
    }

    /** A reason name: 1 to {@value Limits#MAX_REASON_NAME_CHARS} lower-case letters, digits and '_'. */
    public static void checkReasonName(String param, Object item) {
        if (!(item instanceof String r) || r.isEmpty() || r.length() > Limits.MAX_REASON_NAME_CHARS
                || !r.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
            throw new IllegalArgumentException("param '" + param + "' holds '" + item
                    + "', which is not a reason name (like kernel_update)");
        }
    }

    public static void checkNotBoth(List<String> onlyif, List<String> unless) {
        if (!onlyif.isEmpty() && !unless.isEmpty()) {
            throw new IllegalArgumentException("params 'onlyif' and 'unless' cannot both be given");
        }
    }
}
