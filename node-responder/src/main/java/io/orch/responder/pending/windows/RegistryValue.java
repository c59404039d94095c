package io.orch.responder.pending.windows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One registry value as stored: its {@code REG_*} type and its data, decoded. The data is a
 * {@link Long} for {@code REG_DWORD} (unsigned) and {@code REG_QWORD}, a {@link String} for
 * {@code REG_SZ} and {@code REG_EXPAND_SZ} (not expanded), a {@code List<String>} for
 * {@code REG_MULTI_SZ}, and the raw bytes for every other type. A {@code REG_DWORD_BIG_ENDIAN}
 * is read as the {@code REG_DWORD} it stands for.
 */
record RegistryValue(int type, Object data) {
    public static final int REG_NONE = 0;
    public static final int REG_SZ = 1;
    public static final int REG_EXPAND_SZ = 2;
    public static final int REG_BINARY = 3;
    public static final int REG_DWORD = 4;
    public static final int REG_DWORD_BIG_ENDIAN = 5;
    public static final int REG_MULTI_SZ = 7;
    public static final int REG_QWORD = 11;

    public RegistryValue {
        Objects.requireNonNull(data, "data == null");
        if (data instanceof List<?> list) {
            data = List.copyOf(list);
        } else if (data instanceof byte[] bytes) {
            data = bytes.clone();
        }
    }

    /** The data; raw bytes come as a copy. */
    @Override
    public Object data() {
        return data instanceof byte[] bytes ? bytes.clone() : data;
    }

    public static RegistryValue dword(long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("a DWORD is 0..4294967295, got " + value);
        }
        return new RegistryValue(REG_DWORD, value);
    }

    public static RegistryValue qword(long value) {
        return new RegistryValue(REG_QWORD, value);
    }

    public static RegistryValue string(String value) {
        return new RegistryValue(REG_SZ, value);
    }

    public static RegistryValue expandString(String value) {
        return new RegistryValue(REG_EXPAND_SZ, value);
    }

    public static RegistryValue multiString(String... values) {
        return new RegistryValue(REG_MULTI_SZ, List.of(values));
    }

    public static RegistryValue binary(byte... bytes) {
        return new RegistryValue(REG_BINARY, bytes);
    }

    /**
     * Decodes the bytes {@code RegQueryValueEx} returned. Strings are UTF-16LE and may lack their
     * terminator; a multi-string keeps its empty entries (a pending file rename's "delete" target
     * is one).
     *
     * @throws RegistryException for a DWORD or QWORD of the wrong length
     */
    public static RegistryValue decode(int type, byte[] bytes) throws RegistryException {
        switch (type) {
            case REG_SZ, REG_EXPAND_SZ -> {
                String text = utf16(bytes);
                int nul = text.indexOf('\0');
                return new RegistryValue(type, nul < 0 ? text : text.substring(0, nul));
            }
            case REG_MULTI_SZ -> {
                return new RegistryValue(type, multiString(utf16(bytes)));
            }
            case REG_DWORD, REG_DWORD_BIG_ENDIAN -> {
                if (bytes.length != 4) {
                    throw new RegistryException(typeName(type) + " value has " + bytes.length + " bytes, not 4");
                }
                ByteOrder order = type == REG_DWORD ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
                return new RegistryValue(REG_DWORD, Integer.toUnsignedLong(ByteBuffer.wrap(bytes).order(order).getInt()));
            }
            case REG_QWORD -> {
                if (bytes.length != 8) {
                    throw new RegistryException("REG_QWORD value has " + bytes.length + " bytes, not 8");
                }
                return new RegistryValue(type, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong());
            }
            default -> {
                return new RegistryValue(type, bytes);
            }
        }
    }

    private static String utf16(byte[] bytes) {
        return new String(bytes, 0, bytes.length & ~1, StandardCharsets.UTF_16LE);
    }

    /** Each entry ends with a NUL and the list with one more; writers that skip either are read the same. */
    private static List<String> multiString(String text) {
        if (text.endsWith("\0")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.endsWith("\0")) {
            text = text.substring(0, text.length() - 1);
        }
        return text.isEmpty() ? List.of() : List.of(text.split("\0", -1));
    }

    /** {@code REG_SZ}, {@code REG_DWORD}, ... or {@code type 9} for the rare ones. */
    public static String typeName(int type) {
        return switch (type) {
            case REG_NONE -> "REG_NONE";
            case REG_SZ -> "REG_SZ";
            case REG_EXPAND_SZ -> "REG_EXPAND_SZ";
            case REG_BINARY -> "REG_BINARY";
            case REG_DWORD -> "REG_DWORD";
            case REG_DWORD_BIG_ENDIAN -> "REG_DWORD_BIG_ENDIAN";
            case REG_MULTI_SZ -> "REG_MULTI_SZ";
            case REG_QWORD -> "REG_QWORD";
            default -> "type " + type;
        };
    }

    public String typeName() {
        return typeName(type);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegistryValue v && v.type == type
                && (data instanceof byte[] a && v.data instanceof byte[] b ? Arrays.equals(a, b) : data.equals(v.data));
    }

    @Override
    public int hashCode() {
        return 31 * type + (data instanceof byte[] a ? Arrays.hashCode(a) : data.hashCode());
    }

    @Override
    public String toString() {
        return typeName() + " " + (data instanceof byte[] a ? Arrays.toString(a) : data);
    }
}
