package io.orch.protocol.payload;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Immutable copies that keep insertion order (it shows in the JSON) and allow null values. */
final class Copies {
    private Copies() {
    }

    static <V> Map<String, V> map(Map<String, V> map) {
        return map == null || map.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    static <T> List<T> nullableList(List<T> list) {
        return list == null ? null : List.copyOf(list);
    }

    /** A lower-case wire name, as every enum of the protocol spells its values. */
    static String wire(Enum<?> value) {
        return value.name().toLowerCase(java.util.Locale.ROOT);
    }

    static <E extends Enum<E>> java.util.Optional<E> fromWire(Class<E> type, String name) {
        for (E value : type.getEnumConstants()) {
            if (wire(value).equals(name)) {
                return java.util.Optional.of(value);
            }
        }
        return java.util.Optional.empty();
    }
}
