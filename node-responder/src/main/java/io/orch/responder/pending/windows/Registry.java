package io.orch.responder.pending.windows;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Reads HKEY_LOCAL_MACHINE. Keys are paths below it, {@code SOFTWARE\Microsoft\Updates}; key and
 * value names are case-insensitive, as in Windows. Something absent is {@link Optional#empty()},
 * {@code false} or an empty list, never an error; a value of another type than the one asked for
 * is a {@link RegistryException}, so a detector cannot take a malformed value for a clear answer.
 */
interface Registry {

    /** The 64-bit view of this machine's HKEY_LOCAL_MACHINE, through JNA. */
    static Registry localMachine() {
        return new JnaRegistry();
    }

    boolean keyExists(String key) throws IOException;

    /** The names of the key's subkeys; empty when the key does not exist. */
    List<String> subkeys(String key) throws IOException;

    /** A value of any type; empty when the key or the value does not exist. */
    Optional<RegistryValue> value(String key, String name) throws IOException;

    default boolean valueExists(String key, String name) throws IOException {
        return value(key, name).isPresent();
    }

    /** A {@code REG_DWORD}, unsigned. */
    default Optional<Long> dword(String key, String name) throws IOException {
        return typed(key, name, Long.class, RegistryValue.REG_DWORD);
    }

    /** A {@code REG_SZ} or {@code REG_EXPAND_SZ} (not expanded). */
    default Optional<String> string(String key, String name) throws IOException {
        return typed(key, name, String.class, RegistryValue.REG_SZ, RegistryValue.REG_EXPAND_SZ);
    }

    /** A {@code REG_MULTI_SZ}, empty entries kept. */
    @SuppressWarnings("unchecked")
    default Optional<List<String>> multiString(String key, String name) throws IOException {
        return typed(key, name, List.class, RegistryValue.REG_MULTI_SZ).map(list -> (List<String>) list);
    }

    private <T> Optional<T> typed(String key, String name, Class<T> type, int... expected) throws IOException {
        Optional<RegistryValue> value = value(key, name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        for (int t : expected) {
            if (value.get().type() == t) {
                return Optional.of(type.cast(value.get().data()));
            }
        }
        throw new RegistryException(path(key, name) + " is " + value.get().typeName() + ", expected "
                + RegistryValue.typeName(expected[0]));
    }

    /** How a key appears in evidence and messages: {@code HKLM\SOFTWARE\Microsoft\Updates}. */
    static String path(String key) {
        return "HKLM\\" + key;
    }

    /** A value's full name in evidence and messages: {@code HKLM\SOFTWARE\Microsoft\Updates\UpdateExeVolatile}. */
    static String path(String key, String name) {
        return path(key) + "\\" + name;
    }
}
