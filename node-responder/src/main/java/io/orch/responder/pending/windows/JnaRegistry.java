package io.orch.responder.pending.windows;

import com.sun.jna.platform.win32.Advapi32;
import com.sun.jna.platform.win32.Advapi32Util;
import com.sun.jna.platform.win32.Win32Exception;
import com.sun.jna.platform.win32.WinError;
import com.sun.jna.platform.win32.WinNT;
import com.sun.jna.platform.win32.WinReg;
import com.sun.jna.ptr.IntByReference;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * HKEY_LOCAL_MACHINE through JNA, always in the 64-bit view ({@code KEY_WOW64_64KEY}): a 32-bit
 * JVM then reads the same keys as the 64-bit servicing stack, and the WOW64 twins are read by their
 * own path ({@code SOFTWARE\WOW6432Node\...}). Values are read with {@code RegQueryValueEx} and
 * decoded by {@link RegistryValue#decode}, because {@code Advapi32Util}'s multi-string reader stops
 * at the first empty entry, and pending file renames are full of them.
 */
final class JnaRegistry implements Registry {
    private static final int VIEW = WinNT.KEY_WOW64_64KEY;
    /** Tries before giving up on a value that keeps growing between the size query and the read. */
    private static final int READ_TRIES = 3;

    /** @throws IllegalStateException anywhere but Windows: no JNA library is loaded there */
    JnaRegistry() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("windows")) {
            throw new IllegalStateException("the Windows registry is only readable on Windows, this is " + os);
        }
    }

    @Override
    public boolean keyExists(String key) throws RegistryException {
        try {
            return Advapi32Util.registryKeyExists(WinReg.HKEY_LOCAL_MACHINE, key, VIEW);
        } catch (Win32Exception e) {
            throw failure("cannot open " + Registry.path(key), e);
        }
    }

    @Override
    public List<String> subkeys(String key) throws RegistryException {
        try {
            return Arrays.asList(Advapi32Util.registryGetKeys(WinReg.HKEY_LOCAL_MACHINE, key, VIEW));
        } catch (Win32Exception e) {
            if (e.getErrorCode() == WinError.ERROR_FILE_NOT_FOUND) {
                return List.of();
            }
            throw failure("cannot list " + Registry.path(key), e);
        }
    }

    @Override
    public Optional<RegistryValue> value(String key, String name) throws RegistryException {
        WinReg.HKEYByReference handle = new WinReg.HKEYByReference();
        int rc = Advapi32.INSTANCE.RegOpenKeyEx(WinReg.HKEY_LOCAL_MACHINE, key, 0, WinNT.KEY_READ | VIEW, handle);
        if (rc == WinError.ERROR_FILE_NOT_FOUND) {
            return Optional.empty();
        }
        if (rc != WinError.ERROR_SUCCESS) {
            throw failure("cannot open " + Registry.path(key), new Win32Exception(rc));
        }
        try {
            return read(handle.getValue(), key, name);
        } finally {
            Advapi32.INSTANCE.RegCloseKey(handle.getValue());
        }
    }

    private static Optional<RegistryValue> read(WinReg.HKEY handle, String key, String name) throws RegistryException {
        for (int i = 0; i < READ_TRIES; i++) {
            IntByReference type = new IntByReference();
            IntByReference size = new IntByReference();
            int rc = Advapi32.INSTANCE.RegQueryValueEx(handle, name, 0, type, (byte[]) null, size);
            if (rc == WinError.ERROR_FILE_NOT_FOUND) {
                return Optional.empty();
            }
            if (rc != WinError.ERROR_SUCCESS && rc != WinError.ERROR_MORE_DATA) {
                throw failure("cannot read " + Registry.path(key, name), new Win32Exception(rc));
            }
            byte[] data = new byte[size.getValue()];
            if (data.length > 0) {
                rc = Advapi32.INSTANCE.RegQueryValueEx(handle, name, 0, type, data, size);
                if (rc == WinError.ERROR_MORE_DATA) {
                    continue; // it grew in between: ask for the size again
                }
                if (rc == WinError.ERROR_FILE_NOT_FOUND) {
                    return Optional.empty();
                }
                if (rc != WinError.ERROR_SUCCESS) {
                    throw failure("cannot read " + Registry.path(key, name), new Win32Exception(rc));
                }
                data = Arrays.copyOf(data, Math.min(data.length, size.getValue()));
            }
            try {
                return Optional.of(RegistryValue.decode(type.getValue(), data));
            } catch (RegistryException e) {
                throw new RegistryException(Registry.path(key, name) + ": " + e.getMessage());
            }
        }
        throw new RegistryException(Registry.path(key, name) + " kept changing size while being read");
    }

    private static RegistryException failure(String what, Win32Exception e) {
        return new RegistryException(what + ": Win32 error " + e.getErrorCode() + " (" + e.getMessage() + ")", e);
    }
}
