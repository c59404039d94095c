package io.orch.responder.facts;

import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Advapi32Util;
import com.sun.jna.platform.win32.Kernel32;
import com.sun.jna.platform.win32.W32Errors;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.platform.win32.WinReg;
import com.sun.jna.ptr.IntByReference;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

/**
 * Windows' answer to {@code /proc/sys/kernel/random/boot_id} and {@code /proc/uptime}, through JNA.
 *
 * <p>The boot id is a random UUID kept in a volatile registry key ({@value #KEY} in HKLM): Windows
 * drops volatile keys at every boot, so the first responder start of a boot writes a new one and
 * every later start on the same boot reads it back; exactly the kernel boot id's contract. (A time
 * derived from the tick count would move with every clock correction and could not be compared
 * for equality.) The boot time is the clock now less {@code GetTickCount64}, to the second.
 * Loaded only on Windows; any failure leaves the facts to their defaults (empty id, start time).
 */
final class WindowsBoot {
    /** Below HKLM; created volatile, so it and its value live exactly one boot. */
    static final String KEY = "SOFTWARE\\orch\\Boot";
    private static final String VALUE = "Id";

    private WindowsBoot() {
    }

    static Optional<BuiltinFacts.Boot> read(Clock clock) {
        try {
            Instant time = clock.instant().minusMillis(Kernel32.INSTANCE.GetTickCount64()).truncatedTo(ChronoUnit.SECONDS);
            return Optional.of(new BuiltinFacts.Boot(bootId(), time));
        } catch (LinkageError | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** This boot's id, made on the first call of the boot; "" when the registry refuses (not run as SYSTEM). */
    private static String bootId() {
        WinReg.HKEYByReference key = new WinReg.HKEYByReference();
        int rc = Advapi32.INSTANCE.RegCreateKeyEx(WinReg.HKEY_LOCAL_MACHINE, KEY, 0, null, WinNT.REG_OPTION_VOLATILE,
                WinNT.KEY_READ | WinNT.KEY_WRITE, null, key, new IntByReference());
        if (rc != W32Errors.ERROR_SUCCESS) {
            return "";
        }
        try {
            if (Advapi32Util.registryGetValues(key.getValue()).get(VALUE) instanceof String id && !id.isBlank()) {
                return id;
            }
            String id = UUID.randomUUID().toString();
            Advapi32Util.registrySetStringValue(key.getValue(), VALUE, id);
            return id;
        } catch (RuntimeException e) {
            return "";
        } finally {
            Advapi32.INSTANCE.RegCloseKey(key.getValue());
        }
    }
}
