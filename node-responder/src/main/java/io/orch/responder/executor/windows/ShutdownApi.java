package io.orch.responder.executor.windows;

/**
 * The Win32 calls a Windows reboot needs, as thin as the calls themselves: {@code false} means
 * {@link #lastError()} says why. Only {@link JnaShutdownApi} calls the system; tests pass a fake.
 */
interface ShutdownApi {

    /** Enables {@code SeShutdownPrivilege} on this process's token; false also when the account does not hold it. */
    boolean enableShutdownPrivilege();

    /** {@code InitiateSystemShutdownEx(machineName, message, timeoutSeconds, forceAppsClosed, reboot, reason)}. */
    boolean initiateSystemShutdownEx(String machineName, String message, int timeoutSeconds, boolean forceAppsClosed,
                                     boolean rebootAfterShutdown, int reason);

    /** {@code AbortSystemShutdown(machineName)}: stops a shutdown that is still in its delay. */
    boolean abortSystemShutdown(String machineName);

    /** The {@code GetLastError} code of this thread's last call above that returned false. */
    int lastError();

    /** The system's words for a Win32 error code ({@code FormatMessage}); empty when it has none. */
    String errorText(int code);
}
