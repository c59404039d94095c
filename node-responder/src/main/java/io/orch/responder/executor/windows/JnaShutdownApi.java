package io.orch.responder.executor.windows;

import com.sun.jna.Native;
import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.Kernel32Util;
import com.sun.jna.platform.win32.WinDef;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.win32.StdCallLibrary;
import com.sun.jna.win32.W32APIOptions;
import java.util.Locale;

/**
 * {@link ShutdownApi} through JNA. jna-platform's {@code Advapi32} does not map
 * {@code InitiateSystemShutdownEx} or {@code AbortSystemShutdown}, so they are mapped here (the
 * Unicode {@code W} functions); the token calls are jna-platform's. Constructed only on Windows:
 * elsewhere the constructor refuses before any native library is loaded.
 */
final class JnaShutdownApi implements ShutdownApi {

    /** The two advapi32 functions jna-platform lacks; the W32 options pick their {@code W} forms. Public for JNA's proxy. */
    public interface ShutdownFunctions extends StdCallLibrary {
        boolean InitiateSystemShutdownEx(String machineName, String message, int timeout, boolean forceAppsClosed,
                                         boolean rebootAfterShutdown, int reason);

        boolean AbortSystemShutdown(String machineName);
    }

    private final ShutdownFunctions functions;
    private final ThreadLocal<Integer> lastError = ThreadLocal.withInitial(() -> 0);

    /** @throws IllegalStateException anywhere but Windows */
    JnaShutdownApi() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("windows")) {
            throw new IllegalStateException("the Windows shutdown API is only available on Windows, this is " + os);
        }
        functions = Native.load("Advapi32", ShutdownFunctions.class, W32APIOptions.DEFAULT_OPTIONS);
    }

    @Override
    public boolean enableShutdownPrivilege() {
        WinNT.HANDLEByReference token = new WinNT.HANDLEByReference();
        if (!Advapi32.INSTANCE.OpenProcessToken(Kernel32.INSTANCE.GetCurrentProcess(),
                WinNT.TOKEN_ADJUST_PRIVILEGES | WinNT.TOKEN_QUERY, token)) {
            return failed();
        }
        try {
            WinNT.LUID luid = new WinNT.LUID();
            if (!Advapi32.INSTANCE.LookupPrivilegeValue(null, WinNT.SE_SHUTDOWN_NAME, luid)) {
                return failed();
            }
            WinNT.TOKEN_PRIVILEGES privileges = new WinNT.TOKEN_PRIVILEGES(1);
            privileges.Privileges[0] = new WinNT.LUID_AND_ATTRIBUTES(luid, new WinDef.DWORD(WinNT.SE_PRIVILEGE_ENABLED));
            if (!Advapi32.INSTANCE.AdjustTokenPrivileges(token.getValue(), false, privileges, 0, null, null)) {
                return failed();
            }
            // It "succeeds" for an account without the privilege, and says so only in GetLastError.
            int rc = Native.getLastError();
            if (rc == WinError.ERROR_NOT_ALL_ASSIGNED) {
                lastError.set(rc);
                return false;
            }
            return true;
        } finally {
            Kernel32.INSTANCE.CloseHandle(token.getValue());
        }
    }

    @Override
    public boolean initiateSystemShutdownEx(String machineName, String message, int timeoutSeconds,
                                            boolean forceAppsClosed, boolean rebootAfterShutdown, int reason) {
        return functions.InitiateSystemShutdownEx(machineName, message, timeoutSeconds, forceAppsClosed,
                rebootAfterShutdown, reason) || failed();
    }

    @Override
    public boolean abortSystemShutdown(String machineName) {
        return functions.AbortSystemShutdown(machineName) || failed();
    }

    /** Keeps GetLastError of the call that just failed, before another call (CloseHandle) overwrites it. */
    private boolean failed() {
        lastError.set(Native.getLastError());
        return false;
    }

    @Override
    public int lastError() {
        return lastError.get();
    }

    @Override
    public String errorText(int code) {
        try {
            return Kernel32Util.formatMessage(code).strip();
        } catch (RuntimeException e) {
            return "";
        }
    }
}
