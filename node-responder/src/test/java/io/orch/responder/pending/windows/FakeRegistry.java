package io.orch.responder.pending.windows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** HKLM in memory, case-insensitive like the real one; a key can be made unreadable (access denied). */
final class FakeRegistry implements Registry {
    private final Map<String, String> keys = new LinkedHashMap<>(); // lower case -> as written
    private final Map<String, Map<String, RegistryValue>> values = new LinkedHashMap<>();
    private final Set<String> denied = new TreeSet<>();

    /** Creates the key and its parents. */
    FakeRegistry key(String key) {
        String path = key;
        while (true) {
            keys.putIfAbsent(lower(path), path);
            int slash = path.lastIndexOf('\\');
            if (slash < 0) {
                return this;
            }
            path = path.substring(0, slash);
        }
    }

    FakeRegistry set(String key, String name, RegistryValue value) {
        key(key);
        values.computeIfAbsent(lower(key), k -> new LinkedHashMap<>()).put(lower(name), value);
        return this;
    }

    FakeRegistry setDword(String key, String name, long value) {
        return set(key, name, RegistryValue.dword(value));
    }

    FakeRegistry setString(String key, String name, String value) {
        return set(key, name, RegistryValue.string(value));
    }

    FakeRegistry setMultiString(String key, String name, String... entries) {
        return set(key, name, RegistryValue.multiString(entries));
    }

    /** Every read of this key fails, as with ERROR_ACCESS_DENIED. */
    FakeRegistry deny(String key) {
        denied.add(lower(key));
        return this;
    }

    private void check(String key) throws RegistryException {
        if (denied.contains(lower(key))) {
            throw new RegistryException("cannot open " + Registry.path(key) + ": Win32 error 5 (Access is denied.)");
        }
    }

    @Override
    public boolean keyExists(String key) throws IOException {
        check(key);
        return keys.containsKey(lower(key));
    }

    @Override
    public List<String> subkeys(String key) throws IOException {
        check(key);
        String prefix = lower(key) + "\\";
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> entry : keys.entrySet()) {
            String rest = entry.getKey().startsWith(prefix) ? entry.getValue().substring(prefix.length()) : null;
            if (rest != null && !rest.isEmpty() && rest.indexOf('\\') < 0) {
                out.add(rest);
            }
        }
        return out;
    }

    @Override
    public Optional<RegistryValue> value(String key, String name) throws IOException {
        check(key);
        Map<String, RegistryValue> of = values.get(lower(key));
        return of == null ? Optional.empty() : Optional.ofNullable(of.get(lower(name)));
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
