package io.orch.responder.pending.windows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Decoding what RegQueryValueEx returns, and the typed reads every detector goes through. */
class RegistryValueTest {
    private static final String KEY = "SOFTWARE\\Microsoft\\Updates";

    private static byte[] utf16(String s) {
        return s.getBytes(StandardCharsets.UTF_16LE);
    }

    static Stream<Arguments> decoded() {
        return Stream.of(
                arguments("REG_SZ with terminator", RegistryValue.REG_SZ, utf16("WEB01\0"), RegistryValue.string("WEB01")),
                arguments("REG_SZ without terminator", RegistryValue.REG_SZ, utf16("WEB01"), RegistryValue.string("WEB01")),
                arguments("REG_SZ empty", RegistryValue.REG_SZ, new byte[0], RegistryValue.string("")),
                arguments("REG_SZ odd byte count", RegistryValue.REG_SZ, new byte[] {'A', 0, 'B'},
                        RegistryValue.string("A")),
                arguments("REG_EXPAND_SZ not expanded", RegistryValue.REG_EXPAND_SZ, utf16("%SystemRoot%\\x\0"),
                        RegistryValue.expandString("%SystemRoot%\\x")),
                arguments("REG_MULTI_SZ", RegistryValue.REG_MULTI_SZ, utf16("a\0b\0\0"),
                        RegistryValue.multiString("a", "b")),
                arguments("REG_MULTI_SZ keeps empty entries", RegistryValue.REG_MULTI_SZ,
                        utf16("\\??\\C:\\a.dll\0\0\\??\\C:\\b.tmp\0\\??\\C:\\b.dll\0\0"),
                        RegistryValue.multiString("\\??\\C:\\a.dll", "", "\\??\\C:\\b.tmp", "\\??\\C:\\b.dll")),
                arguments("REG_MULTI_SZ ending in a delete", RegistryValue.REG_MULTI_SZ, utf16("a\0\0b\0\0\0"),
                        RegistryValue.multiString("a", "", "b", "")),
                arguments("REG_MULTI_SZ without terminators", RegistryValue.REG_MULTI_SZ, utf16("a\0b"),
                        RegistryValue.multiString("a", "b")),
                arguments("REG_MULTI_SZ empty list", RegistryValue.REG_MULTI_SZ, utf16("\0"), RegistryValue.multiString()),
                arguments("REG_MULTI_SZ two NULs", RegistryValue.REG_MULTI_SZ, utf16("\0\0"), RegistryValue.multiString()),
                arguments("REG_MULTI_SZ no bytes", RegistryValue.REG_MULTI_SZ, new byte[0], RegistryValue.multiString()),
                arguments("REG_DWORD little endian", RegistryValue.REG_DWORD, new byte[] {1, 0, 0, 0},
                        RegistryValue.dword(1)),
                arguments("REG_DWORD unsigned", RegistryValue.REG_DWORD, new byte[] {-1, -1, -1, -1},
                        RegistryValue.dword(4294967295L)),
                arguments("REG_DWORD_BIG_ENDIAN reads as REG_DWORD", RegistryValue.REG_DWORD_BIG_ENDIAN,
                        new byte[] {0, 0, 0, 2}, RegistryValue.dword(2)),
                arguments("REG_QWORD", RegistryValue.REG_QWORD, new byte[] {5, 0, 0, 0, 0, 0, 0, 0},
                        RegistryValue.qword(5)),
                arguments("REG_BINARY", RegistryValue.REG_BINARY, new byte[] {1, 2}, RegistryValue.binary(new byte[] {1, 2})),
                arguments("REG_NONE", RegistryValue.REG_NONE, new byte[0],
                        new RegistryValue(RegistryValue.REG_NONE, new byte[0])),
                arguments("an unusual type keeps its bytes", 9, new byte[] {7}, new RegistryValue(9, new byte[] {7})));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decoded")
    void decodesWhatTheRegistryReturns(String label, int type, byte[] bytes, RegistryValue expected) throws Exception {
        assertEquals(expected, RegistryValue.decode(type, bytes));
    }

    static Stream<Arguments> malformedNumbers() {
        return Stream.of(
                arguments(RegistryValue.REG_DWORD, new byte[] {1, 0}),
                arguments(RegistryValue.REG_DWORD, new byte[] {1, 0, 0, 0, 0}),
                arguments(RegistryValue.REG_DWORD, new byte[0]),
                arguments(RegistryValue.REG_QWORD, new byte[] {1, 0, 0, 0}));
    }

    @ParameterizedTest
    @MethodSource("malformedNumbers")
    void aNumberOfTheWrongLengthIsAnError(int type, byte[] bytes) {
        RegistryException e = assertThrows(RegistryException.class, () -> RegistryValue.decode(type, bytes));
        assertTrue(e.getMessage().contains(bytes.length + " bytes"), e.getMessage());
    }

    @Test
    void rawBytesCannotBeChangedFromOutside() {
        byte[] bytes = {1, 2};
        RegistryValue value = RegistryValue.binary(bytes);
        bytes[0] = 9;
        ((byte[]) value.data())[1] = 9;
        assertArrayEquals(new byte[] {1, 2}, (byte[]) value.data());
    }

    @Test
    void aDwordOutOfRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RegistryValue.dword(-1));
        assertThrows(IllegalArgumentException.class, () -> RegistryValue.dword(0x1_0000_0000L));
    }

    @Test
    void typedReadsGiveTheDataOrNothing() throws Exception {
        FakeRegistry registry = new FakeRegistry().setDword(KEY, "UpdateExeVolatile", 1)
                .set(KEY, "Path", RegistryValue.expandString("%SystemRoot%"))
                .setMultiString(KEY, "List", "a", "");

        assertEquals(1L, registry.dword(KEY, "updateexevolatile").orElseThrow());
        assertEquals("%SystemRoot%", registry.string(KEY, "Path").orElseThrow());
        assertEquals(List.of("a", ""), registry.multiString(KEY, "List").orElseThrow());
        assertTrue(registry.dword(KEY, "Missing").isEmpty());
        assertTrue(registry.string("SOFTWARE\\Nowhere", "Path").isEmpty());
    }

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                arguments("dword", RegistryValue.string("1"), "is REG_SZ, expected REG_DWORD"),
                arguments("dword", RegistryValue.qword(1), "is REG_QWORD, expected REG_DWORD"),
                arguments("string", RegistryValue.dword(1), "is REG_DWORD, expected REG_SZ"),
                arguments("string", RegistryValue.multiString("a"), "is REG_MULTI_SZ, expected REG_SZ"),
                arguments("multiString", RegistryValue.string("a"), "is REG_SZ, expected REG_MULTI_SZ"),
                arguments("multiString", RegistryValue.binary(new byte[] {0, 0}), "is REG_BINARY, expected REG_MULTI_SZ"));
    }

    @ParameterizedTest(name = "{0} of {1}")
    @MethodSource("wrongTypes")
    void aValueOfAnotherTypeIsAnErrorNamingIt(String read, RegistryValue stored, String message) {
        FakeRegistry registry = new FakeRegistry().set(KEY, "V", stored);
        RegistryException e = assertThrows(RegistryException.class, () -> {
            switch (read) {
                case "dword" -> registry.dword(KEY, "V");
                case "string" -> registry.string(KEY, "V");
                default -> registry.multiString(KEY, "V");
            }
        });
        assertEquals("HKLM\\" + KEY + "\\V " + message, e.getMessage());
    }
}
