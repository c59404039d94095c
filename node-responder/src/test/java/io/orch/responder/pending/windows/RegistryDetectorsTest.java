package io.orch.responder.pending.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.orch.responder.pending.PendingCheck;
import io.orch.responder.pending.PendingDetector;
import io.orch.protocol.payload.Reason;
import io.orch.responder.pending.PendingState;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every registry detector against a fake HKLM: what makes it pending and with which evidence, what
 * does not (missing keys, DWORD 0, empty multi-strings), and what it cannot decide (wrong types,
 * unreadable keys), which is an error and never "pending".
 */
class RegistryDetectorsTest {
    static final String CBS = "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing";
    static final String AU = "SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WindowsUpdate\\Auto Update";
    static final String SM = "SYSTEM\\CurrentControlSet\\Control\\Session Manager";
    static final String PFRO = "PendingFileRenameOperations";
    static final String PFRO2 = "PendingFileRenameOperations2";
    static final String UPDATES = "SOFTWARE\\Microsoft\\Updates";
    static final String WOW_UPDATES = "SOFTWARE\\WOW6432Node\\Microsoft\\Updates";
    static final String UEV = "UpdateExeVolatile";
    static final String ACTIVE = "SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ActiveComputerName";
    static final String NEXT = "SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName";
    static final String NETLOGON = "SYSTEM\\CurrentControlSet\\Services\\Netlogon";

    /** Pending with this evidence, not pending (evidence and error null), or an error containing this text. */
    record Expect(Map<String, Object> evidence, String error) {
        static Expect pending(Map<String, Object> evidence) {
            return new Expect(evidence, null);
        }

        static Expect notPending() {
            return new Expect(null, null);
        }

        static Expect error(String text) {
            return new Expect(null, text);
        }
    }

    private static Arguments when(String detector, String label, Consumer<FakeRegistry> setup, Expect expect) {
        return arguments(detector, label, setup, expect);
    }

    private static String hklm(String key) {
        return "HKLM\\" + key;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // windows_cbs
                when("windows_cbs", "RebootPending exists", r -> r.key(CBS + "\\RebootPending"),
                        Expect.pending(Map.of("keys", List.of(hklm(CBS + "\\RebootPending"))))),
                when("windows_cbs", "RebootPending with packages below it",
                        r -> r.key(CBS + "\\RebootPending\\Package_for_KB5034441~31bf3856ad364e35~amd64~~10.0.1.0"),
                        Expect.pending(Map.of("keys", List.of(hklm(CBS + "\\RebootPending")),
                                "subkeys", List.of("Package_for_KB5034441~31bf3856ad364e35~amd64~~10.0.1.0")))),
                when("windows_cbs", "RebootInProgress exists", r -> r.key(CBS + "\\RebootInProgress"),
                        Expect.pending(Map.of("keys", List.of(hklm(CBS + "\\RebootInProgress"))))),
                when("windows_cbs", "PackagesPending exists", r -> r.key(CBS + "\\PackagesPending"),
                        Expect.pending(Map.of("keys", List.of(hklm(CBS + "\\PackagesPending"))))),
                when("windows_cbs", "all three exist",
                        r -> r.key(CBS + "\\PackagesPending").key(CBS + "\\RebootInProgress").key(CBS + "\\RebootPending"),
                        Expect.pending(Map.of("keys", List.of(hklm(CBS + "\\RebootPending"),
                                hklm(CBS + "\\RebootInProgress"), hklm(CBS + "\\PackagesPending"))))),
                when("windows_cbs", "key names differ in case only", r -> r.key(CBS.toUpperCase() + "\\REBOOTPENDING"),
                        Expect.pending(Map.of("keys", List.of(hklm(CBS + "\\RebootPending"))))),
                when("windows_cbs", "servicing key without flags", r -> r.key(CBS + "\\Packages\\Foo"),
                        Expect.notPending()),
                when("windows_cbs", "a value named RebootPending is not the key",
                        r -> r.setDword(CBS, "RebootPending", 1), Expect.notPending()),
                when("windows_cbs", "empty registry", r -> { }, Expect.notPending()),
                when("windows_cbs", "flag key unreadable", r -> r.deny(CBS + "\\RebootPending"),
                        Expect.error("Access is denied")),
                when("windows_cbs", "one flag unreadable, another present",
                        r -> r.deny(CBS + "\\RebootPending").key(CBS + "\\PackagesPending"),
                        Expect.pending(Map.of("keys", List.of(hklm(CBS + "\\PackagesPending")),
                                "unreadable", List.of("cannot open " + hklm(CBS + "\\RebootPending")
                                        + ": Win32 error 5 (Access is denied.)")))),

                // windows_update
                when("windows_update", "RebootRequired exists", r -> r.key(AU + "\\RebootRequired"),
                        Expect.pending(Map.of("keys", List.of(hklm(AU + "\\RebootRequired"))))),
                when("windows_update", "RebootRequired holding update ids",
                        r -> r.setDword(AU + "\\RebootRequired", "8a1f3c11-0000-0000-0000-000000000000", 1),
                        Expect.pending(Map.of("keys", List.of(hklm(AU + "\\RebootRequired"))))),
                when("windows_update", "Auto Update without RebootRequired", r -> r.key(AU + "\\Results\\Install"),
                        Expect.notPending()),
                when("windows_update", "missing key", r -> { }, Expect.notPending()),
                when("windows_update", "unreadable", r -> r.deny(AU + "\\RebootRequired"),
                        Expect.error("Access is denied")),

                // pending_file_rename
                when("pending_file_rename", "a delete and a rename",
                        r -> r.setMultiString(SM, PFRO, "\\??\\C:\\Windows\\a.dll", "", "\\??\\C:\\b.tmp", "!\\??\\C:\\b.dll"),
                        Expect.pending(Map.of("key", hklm(SM), "values", List.of(PFRO), "operations", 2,
                                "files", List.of("\\??\\C:\\Windows\\a.dll", "\\??\\C:\\b.tmp")))),
                when("pending_file_rename", "only the second value",
                        r -> r.setMultiString(SM, PFRO2, "\\??\\C:\\x.sys", ""),
                        Expect.pending(Map.of("key", hklm(SM), "values", List.of(PFRO2), "operations", 1,
                                "files", List.of("\\??\\C:\\x.sys")))),
                when("pending_file_rename", "both values",
                        r -> r.setMultiString(SM, PFRO, "\\??\\C:\\a", "").setMultiString(SM, PFRO2, "\\??\\C:\\b", ""),
                        Expect.pending(Map.of("key", hklm(SM), "values", List.of(PFRO, PFRO2), "operations", 2,
                                "files", List.of("\\??\\C:\\a", "\\??\\C:\\b")))),
                when("pending_file_rename", "empty multi-string", r -> r.setMultiString(SM, PFRO),
                        Expect.notPending()),
                when("pending_file_rename", "only empty entries", r -> r.setMultiString(SM, PFRO, "", ""),
                        Expect.notPending()),
                when("pending_file_rename", "only blank entries", r -> r.setMultiString(SM, PFRO, "  ", "\t"),
                        Expect.notPending()),
                when("pending_file_rename", "Session Manager without the values", r -> r.setDword(SM, "ProtectionMode", 1),
                        Expect.notPending()),
                when("pending_file_rename", "missing key", r -> { }, Expect.notPending()),
                when("pending_file_rename", "REG_SZ instead of REG_MULTI_SZ",
                        r -> r.setString(SM, PFRO, "\\??\\C:\\a.dll"),
                        Expect.error(hklm(SM) + "\\" + PFRO + " is REG_SZ, expected REG_MULTI_SZ")),
                when("pending_file_rename", "REG_BINARY instead of REG_MULTI_SZ",
                        r -> r.set(SM, PFRO, RegistryValue.binary(new byte[] {0, 0})),
                        Expect.error("is REG_BINARY, expected REG_MULTI_SZ")),
                when("pending_file_rename", "first value malformed, second lists a file",
                        r -> r.setDword(SM, PFRO, 1).setMultiString(SM, PFRO2, "\\??\\C:\\b", ""),
                        Expect.pending(Map.of("key", hklm(SM), "values", List.of(PFRO2), "operations", 1,
                                "files", List.of("\\??\\C:\\b"),
                                "unreadable", List.of(hklm(SM) + "\\" + PFRO + " is REG_DWORD, expected REG_MULTI_SZ")))),
                when("pending_file_rename", "both malformed", r -> r.setDword(SM, PFRO, 1).setString(SM, PFRO2, "x"),
                        Expect.error("is REG_DWORD, expected REG_MULTI_SZ; " + hklm(SM) + "\\" + PFRO2
                                + " is REG_SZ, expected REG_MULTI_SZ")),

                // update_exe_volatile
                when("update_exe_volatile", "DWORD 1", r -> r.setDword(UPDATES, UEV, 1),
                        Expect.pending(Map.of("values", Map.of(hklm(UPDATES) + "\\" + UEV, 1L)))),
                when("update_exe_volatile", "DWORD 0", r -> r.setDword(UPDATES, UEV, 0), Expect.notPending()),
                when("update_exe_volatile", "DWORD 0xFFFFFFFF", r -> r.setDword(UPDATES, UEV, 0xFFFF_FFFFL),
                        Expect.pending(Map.of("values", Map.of(hklm(UPDATES) + "\\" + UEV, 4294967295L)))),
                when("update_exe_volatile", "only the WOW64 twin", r -> r.setDword(WOW_UPDATES, UEV, 2),
                        Expect.pending(Map.of("values", Map.of(hklm(WOW_UPDATES) + "\\" + UEV, 2L)))),
                when("update_exe_volatile", "64-bit 0, WOW64 twin 1",
                        r -> r.setDword(UPDATES, UEV, 0).setDword(WOW_UPDATES, UEV, 1),
                        Expect.pending(Map.of("values", Map.of(hklm(WOW_UPDATES) + "\\" + UEV, 1L)))),
                when("update_exe_volatile", "both set",
                        r -> r.setDword(UPDATES, UEV, 1).setDword(WOW_UPDATES, UEV, 3),
                        Expect.pending(Map.of("values", Map.of(hklm(UPDATES) + "\\" + UEV, 1L,
                                hklm(WOW_UPDATES) + "\\" + UEV, 3L)))),
                when("update_exe_volatile", "both 0", r -> r.setDword(UPDATES, UEV, 0).setDword(WOW_UPDATES, UEV, 0),
                        Expect.notPending()),
                when("update_exe_volatile", "key without the value", r -> r.key(UPDATES), Expect.notPending()),
                when("update_exe_volatile", "missing keys", r -> { }, Expect.notPending()),
                when("update_exe_volatile", "REG_SZ \"1\"", r -> r.setString(UPDATES, UEV, "1"),
                        Expect.error(hklm(UPDATES) + "\\" + UEV + " is REG_SZ, expected REG_DWORD")),
                when("update_exe_volatile", "REG_QWORD", r -> r.set(UPDATES, UEV, RegistryValue.qword(1)),
                        Expect.error("is REG_QWORD, expected REG_DWORD")),
                when("update_exe_volatile", "malformed WOW64 twin, 64-bit set",
                        r -> r.setDword(UPDATES, UEV, 1).set(WOW_UPDATES, UEV, RegistryValue.binary(new byte[] {1})),
                        Expect.pending(Map.of("values", Map.of(hklm(UPDATES) + "\\" + UEV, 1L),
                                "unreadable", List.of(hklm(WOW_UPDATES) + "\\" + UEV
                                        + " is REG_BINARY, expected REG_DWORD")))),

                // computer_rename
                when("computer_rename", "renamed",
                        r -> r.setString(ACTIVE, "ComputerName", "WEB01").setString(NEXT, "ComputerName", "WEB02"),
                        Expect.pending(Map.of("active", "WEB01", "active_key", hklm(ACTIVE) + "\\ComputerName",
                                "pending", "WEB02", "pending_key", hklm(NEXT) + "\\ComputerName"))),
                when("computer_rename", "same name",
                        r -> r.setString(ACTIVE, "ComputerName", "WEB01").setString(NEXT, "ComputerName", "WEB01"),
                        Expect.notPending()),
                when("computer_rename", "same name in another case",
                        r -> r.setString(ACTIVE, "ComputerName", "WEB01").setString(NEXT, "ComputerName", "web01"),
                        Expect.notPending()),
                when("computer_rename", "same name, trailing space",
                        r -> r.setString(ACTIVE, "ComputerName", "WEB01").setString(NEXT, "ComputerName", "WEB01 "),
                        Expect.notPending()),
                when("computer_rename", "no pending name", r -> r.setString(ACTIVE, "ComputerName", "WEB01"),
                        Expect.notPending()),
                when("computer_rename", "no active name", r -> r.setString(NEXT, "ComputerName", "WEB02"),
                        Expect.notPending()),
                when("computer_rename", "blank pending name",
                        r -> r.setString(ACTIVE, "ComputerName", "WEB01").setString(NEXT, "ComputerName", ""),
                        Expect.notPending()),
                when("computer_rename", "missing keys", r -> { }, Expect.notPending()),
                when("computer_rename", "a DWORD for a name",
                        r -> r.setString(ACTIVE, "ComputerName", "WEB01").setDword(NEXT, "ComputerName", 2),
                        Expect.error(hklm(NEXT) + "\\ComputerName is REG_DWORD, expected REG_SZ")),

                // domain_join
                when("domain_join", "JoinDomain", r -> r.setString(NETLOGON, "JoinDomain", "corp.example.com"),
                        Expect.pending(Map.of("key", hklm(NETLOGON), "values", List.of("JoinDomain")))),
                when("domain_join", "AvoidSpnSet", r -> r.setDword(NETLOGON, "AvoidSpnSet", 1),
                        Expect.pending(Map.of("key", hklm(NETLOGON), "values", List.of("AvoidSpnSet")))),
                when("domain_join", "both, any type",
                        r -> r.set(NETLOGON, "JoinDomain", RegistryValue.binary()).setDword(NETLOGON, "AvoidSpnSet", 0),
                        Expect.pending(Map.of("key", hklm(NETLOGON), "values", List.of("JoinDomain", "AvoidSpnSet")))),
                when("domain_join", "Netlogon with other values",
                        r -> r.setString(NETLOGON, "DisplayName", "Netlogon").key(NETLOGON + "\\Parameters"),
                        Expect.notPending()),
                when("domain_join", "missing key", r -> { }, Expect.notPending()),
                when("domain_join", "unreadable", r -> r.deny(NETLOGON), Expect.error("Access is denied")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void detectorReadsTheRegistry(String detector, String label, Consumer<FakeRegistry> setup, Expect expect)
            throws Exception {
        FakeRegistry registry = new FakeRegistry();
        setup.accept(registry);
        PendingDetector d = detector(detector, registry);

        if (expect.error() != null) {
            IOException e = assertThrows(IOException.class, d::detect);
            assertTrue(e.getMessage().contains(expect.error()), e.getMessage());
            return;
        }
        Optional<Reason> found = d.detect();
        if (expect.evidence() == null) {
            assertTrue(found.isEmpty(), () -> "not pending, but got " + found);
            return;
        }
        assertEquals(detector, found.orElseThrow().name());
        assertEquals(expect.evidence(), found.get().evidence());
        assertTrue(!found.get().detail().isBlank());
    }

    private static PendingDetector detector(String name, Registry registry) {
        return WindowsDetectors.named(List.of(name), registry, FakeRunner.answering(1, "")).get(0);
    }

    @Test
    void detailsSayWhatAnOperatorWouldCheck() throws Exception {
        FakeRegistry registry = new FakeRegistry().key(CBS + "\\RebootPending")
                .setMultiString(SM, PFRO, "\\??\\C:\\a.dll", "")
                .setDword(WOW_UPDATES, UEV, 1)
                .setString(ACTIVE, "ComputerName", "WEB01").setString(NEXT, "ComputerName", "WEB02")
                .setString(NETLOGON, "JoinDomain", "corp");

        assertEquals("component-based servicing: " + hklm(CBS) + "\\RebootPending exists",
                detail("windows_cbs", registry));
        assertEquals(hklm(SM) + "\\" + PFRO + " lists 1 file operation (\\??\\C:\\a.dll)",
                detail("pending_file_rename", registry));
        assertEquals(hklm(WOW_UPDATES) + "\\" + UEV + " = 1", detail("update_exe_volatile", registry));
        assertEquals("computer name changes from WEB01 to WEB02 at the next boot", detail("computer_rename", registry));
        assertEquals(hklm(NETLOGON) + " has JoinDomain", detail("domain_join", registry));
    }

    private static String detail(String name, Registry registry) throws Exception {
        return detector(name, registry).detect().orElseThrow().detail();
    }

    @Test
    void manyFileOperationsKeepTheEvidenceShort() throws Exception {
        String[] entries = new String[2 * 50];
        for (int i = 0; i < 50; i++) {
            entries[2 * i] = "\\??\\C:\\f" + i;
            entries[2 * i + 1] = "";
        }
        Reason reason = detector("pending_file_rename", new FakeRegistry().setMultiString(SM, PFRO, entries))
                .detect().orElseThrow();

        assertEquals(50, reason.evidence().get("operations"));
        assertEquals(PendingFileRename.MAX_FILES, ((List<?>) reason.evidence().get("files")).size());
    }

    @Test
    void anUnreadableRegistryIsReportedAndNeverPending() {
        FakeRegistry registry = new FakeRegistry().deny(CBS + "\\RebootPending").deny(UPDATES).deny(NETLOGON);
        PendingCheck check = new PendingCheck(WindowsDetectors.named(
                List.of("windows_cbs", "update_exe_volatile", "domain_join"), registry, FakeRunner.answering(1, "")));

        PendingState state = check.run();

        assertTrue(!state.pending());
        assertEquals(Set.of("windows_cbs", "update_exe_volatile", "domain_join"), state.errors().keySet());
        assertTrue(state.errors().get("update_exe_volatile").contains("Access is denied"),
                state.errors().get("update_exe_volatile"));
    }
}
