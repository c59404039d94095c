package io.orch.responder.executor.windows;

import io.orch.protocol.Limits;
import io.orch.responder.executor.RebootException;
import io.orch.responder.executor.RebootExecutor;
import io.orch.responder.executor.RebootPlan;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reboots Windows with {@code InitiateSystemShutdownEx}: the shutdown privilege enabled first,
 * applications asked rather than forced to close, the reason "Operating System: Upgrade (Planned)"
 * in the event log, the requested delay (logged-in users see the message for that long) and
 * message. {@link #cancel} calls {@code AbortSystemShutdown} during the delay. A call that fails
 * becomes a {@link RebootException} naming the Win32 error.
 */
public final class WindowsShutdownExecutor implements RebootExecutor {
    private static final Logger log = LoggerFactory.getLogger(WindowsShutdownExecutor.class);

    static final int SHTDN_REASON_MAJOR_OPERATINGSYSTEM = 0x0002_0000;
    static final int SHTDN_REASON_MINOR_UPGRADE = 0x0000_0003;
    static final int SHTDN_REASON_FLAG_PLANNED = 0x8000_0000;
    /** Operating System: Upgrade (Planned). */
    static final int REASON = SHTDN_REASON_MAJOR_OPERATINGSYSTEM | SHTDN_REASON_MINOR_UPGRADE | SHTDN_REASON_FLAG_PLANNED;
    /** Windows' {@code MAX_SHUTDOWN_TIMEOUT}: ten years. */
    static final long MAX_DELAY_S = Limits.WINDOWS_MAX_SHUTDOWN_DELAY_S;
    /** As much of the message as {@code shutdown /c} takes; the rest is cut. */
    static final int MAX_MESSAGE_CHARS = Limits.WINDOWS_MAX_SHUTDOWN_MESSAGE_CHARS;

    private static final Map<Integer, String> ERRORS = Map.ofEntries(
            Map.entry(5, "ERROR_ACCESS_DENIED"),
            Map.entry(6, "ERROR_INVALID_HANDLE"),
            Map.entry(21, "ERROR_NOT_READY"),
            Map.entry(87, "ERROR_INVALID_PARAMETER"),
            Map.entry(1115, "ERROR_SHUTDOWN_IN_PROGRESS"),
            Map.entry(1116, "ERROR_NO_SHUTDOWN_IN_PROGRESS"),
            Map.entry(1190, "ERROR_SHUTDOWN_IS_SCHEDULED"),
            Map.entry(1191, "ERROR_SHUTDOWN_USERS_LOGGED_ON"),
            Map.entry(1255, "ERROR_SERVER_SHUTDOWN_IN_PROGRESS"),
            Map.entry(1300, "ERROR_NOT_ALL_ASSIGNED"),
            Map.entry(1313, "ERROR_NO_SUCH_PRIVILEGE"),
            Map.entry(1314, "ERROR_PRIVILEGE_NOT_HELD"));

    private final ShutdownApi api;

    WindowsShutdownExecutor(ShutdownApi api) {
        this.api = Objects.requireNonNull(api, "api == null");
    }

    /**
     * The executor that reboots this machine.
     *
     * @throws IllegalStateException anywhere but Windows
     */
    public static WindowsShutdownExecutor system() {
        return new WindowsShutdownExecutor(new JnaShutdownApi());
    }

    @Override
    public void reboot(RebootPlan plan) throws RebootException {
        long delay = delaySeconds(plan);
        if (delay > MAX_DELAY_S) {
            throw new RebootException("a delay of " + delay + "s is more than Windows allows (" + MAX_DELAY_S + "s)");
        }
        String message = message(plan);
        log.warn("rebooting for request {}: {}", plan.requestId(), describe(plan));
        enablePrivilege();
        if (!api.initiateSystemShutdownEx(null, message.isEmpty() ? null : message, (int) delay, false, true, REASON)) {
            throw failure("InitiateSystemShutdownEx", api.lastError());
        }
    }

    @Override
    public void cancel(RebootPlan plan) throws RebootException {
        log.warn("cancelling the reboot for request {}: AbortSystemShutdown", plan.requestId());
        enablePrivilege();
        if (!api.abortSystemShutdown(null)) {
            throw failure("AbortSystemShutdown", api.lastError());
        }
    }

    @Override
    public String describe(RebootPlan plan) {
        return "InitiateSystemShutdownEx(reboot, delay " + delaySeconds(plan) + "s, \""
                + message(plan).replace("\"", "\\\"") + "\")";
    }

    private void enablePrivilege() throws RebootException {
        if (!api.enableShutdownPrivilege()) {
            int code = api.lastError();
            throw new RebootException("cannot enable SeShutdownPrivilege: " + win32(code)
                    + (code == 1300 || code == 1314 ? "; the responder's account may not shut down this machine "
                    + "(run it as LocalSystem, or grant it \"Shut down the system\")" : ""));
        }
    }

    private RebootException failure(String call, int code) {
        return new RebootException(call + " failed: " + win32(code));
    }

    /** {@code Win32 error 5 ERROR_ACCESS_DENIED (Access is denied.)} */
    private String win32(int code) {
        String name = ERRORS.get(code);
        String text;
        try {
            text = api.errorText(code);
        } catch (RuntimeException e) {
            text = "";
        }
        return "Win32 error " + code + (name == null ? "" : " " + name)
                + (text == null || text.isBlank() ? "" : " (" + text.strip() + ")");
    }

    /** Whole seconds, rounded up so the reboot never comes early. */
    static long delaySeconds(RebootPlan plan) {
        return wholeSeconds(plan.delay());
    }

    private static long wholeSeconds(java.time.Duration delay) {
        return delay.toNanosPart() > 0 ? delay.toSeconds() + 1 : delay.toSeconds();
    }

    /** Windows counts the delay in seconds, not minutes: the requested delay, to the second. */
    @Override
    public java.time.Duration effectiveDelay(java.time.Duration requested) {
        return java.time.Duration.ofSeconds(wholeSeconds(requested));
    }

    static String message(RebootPlan plan) {
        String message = plan.message();
        return message.length() <= MAX_MESSAGE_CHARS ? message : message.substring(0, MAX_MESSAGE_CHARS);
    }
}
