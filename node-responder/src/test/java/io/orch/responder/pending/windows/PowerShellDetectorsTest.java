package io.orch.responder.pending.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.orch.responder.command.CommandTimeoutException;
import io.orch.responder.pending.PendingCheck;
import io.orch.responder.pending.PendingDetector;
import io.orch.protocol.payload.Reason;
import io.orch.responder.pending.PendingState;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CCM client and DSC detectors against canned PowerShell answers: pending, not pending, the
 * feature not installed (not pending, no error), output that is not an answer (error) and a
 * timeout (error). No PowerShell runs.
 */
class PowerShellDetectorsTest {
    static final String CCM = "(Invoke-CimMethod -Namespace root/ccm/ClientSDK -ClassName CCM_ClientUtilities "
            + "-MethodName DetermineIfRebootPending) | ConvertTo-Json";
    static final String DSC = "(Get-DscLocalConfigurationManager).LCMState -eq 'PendingReboot'";
    static final Duration TIMEOUT = Duration.ofSeconds(7);

    /** What PowerShell 5.1 prints for the CCM method's result. */
    static String ccmJson(boolean soft, boolean hard) {
        return "{\r\n"
                + "    \"DisableHideTime\":  \"\\/Date(1718000000000)\\/\",\r\n"
                + "    \"InGracePeriod\":  false,\r\n"
                + "    \"IsHardRebootPending\":  " + hard + ",\r\n"
                + "    \"NotifyUI\":  " + (soft || hard) + ",\r\n"
                + "    \"RebootDeadline\":  \"\\/Date(1718003600000)\\/\",\r\n"
                + "    \"RebootPending\":  " + soft + ",\r\n"
                + "    \"ReturnValue\":  0,\r\n"
                + "    \"PSComputerName\":  null\r\n"
                + "}\r\n";
    }

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

    private static final Map<String, Object> CCM_SOFT = Map.of("namespace", "root/ccm/ClientSDK",
            "reboot_pending", true, "hard_reboot_pending", false, "reboot_deadline", "/Date(1718003600000)/",
            "in_grace_period", false);

    static Stream<Arguments> cases() {
        Function<String, String> bom = s -> "\uFEFF" + s;
        return Stream.of(
                // ccm_client
                arguments("ccm_client", "RebootPending", FakeRunner.answering(0, ccmJson(true, false)),
                        Expect.pending(CCM_SOFT)),
                arguments("ccm_client", "IsHardRebootPending", FakeRunner.answering(0, ccmJson(false, true)),
                        Expect.pending(Map.of("namespace", "root/ccm/ClientSDK", "reboot_pending", false,
                                "hard_reboot_pending", true, "reboot_deadline", "/Date(1718003600000)/",
                                "in_grace_period", false))),
                arguments("ccm_client", "compact JSON with only the flags",
                        FakeRunner.answering(0, "{\"RebootPending\":true,\"IsHardRebootPending\":true}"),
                        Expect.pending(Map.of("namespace", "root/ccm/ClientSDK", "reboot_pending", true,
                                "hard_reboot_pending", true))),
                arguments("ccm_client", "byte order mark and a warning around the JSON",
                        FakeRunner.answering(0, bom.apply("WARNING: slow provider\r\n" + ccmJson(true, false))),
                        Expect.pending(CCM_SOFT)),
                arguments("ccm_client", "not pending", FakeRunner.answering(0, ccmJson(false, false)),
                        Expect.notPending()),
                arguments("ccm_client", "one flag false, the other null",
                        FakeRunner.answering(0, "{\"RebootPending\":false,\"IsHardRebootPending\":null}"),
                        Expect.notPending()),
                arguments("ccm_client", "no CCM client: PowerShell exits 1",
                        FakeRunner.answering(1, "", "Invoke-CimMethod : Invalid namespace \r\n+ CategoryInfo : "
                                + "MetadataError: (root/ccm/ClientSDK:CCM_ClientUtilities)"),
                        Expect.notPending()),
                arguments("ccm_client", "no CCM client: exit 0, namespace not found",
                        FakeRunner.answering(0, "", "Invoke-CimMethod : Invalid namespace"),
                        Expect.notPending()),
                arguments("ccm_client", "no CCM client: class not found (0x80041010)",
                        FakeRunner.answering(0, "\r\n", "HRESULT 0x80041010"), Expect.notPending()),
                arguments("ccm_client", "garbage output", FakeRunner.answering(0, "hello"),
                        Expect.error("gave no JSON object: hello")),
                arguments("ccm_client", "nothing at all", FakeRunner.answering(0, ""),
                        Expect.error("gave no JSON object")),
                arguments("ccm_client", "truncated JSON", FakeRunner.answering(0, "{\"RebootPending\": tru }"),
                        Expect.error("gave bad JSON")),
                arguments("ccm_client", "flag as a string", FakeRunner.answering(0, "{\"RebootPending\":\"True\"}"),
                        Expect.error("RebootPending = \"True\", not true or false")),
                arguments("ccm_client", "flag as a number", FakeRunner.answering(0, "{\"IsHardRebootPending\":1}"),
                        Expect.error("IsHardRebootPending = 1, not true or false")),
                arguments("ccm_client", "neither flag", FakeRunner.answering(0, "{\"ReturnValue\":0}"),
                        Expect.error("neither RebootPending nor IsHardRebootPending")),
                arguments("ccm_client", "the method failed",
                        FakeRunner.answering(0, "{\"RebootPending\":true,\"ReturnValue\":2147749889}"),
                        Expect.error("returned ReturnValue 2147749889")),
                arguments("ccm_client", "timeout", FakeRunner.timingOut(), Expect.error("did not finish within 7s")),

                // dsc
                arguments("dsc", "PendingReboot", FakeRunner.answering(0, "True\r\n"),
                        Expect.pending(Map.of("lcm_state", "PendingReboot"))),
                arguments("dsc", "PendingReboot, byte order mark", FakeRunner.answering(0, bom.apply("True")),
                        Expect.pending(Map.of("lcm_state", "PendingReboot"))),
                arguments("dsc", "another state", FakeRunner.answering(0, "False\r\n"), Expect.notPending()),
                arguments("dsc", "no DSC: PowerShell exits 1",
                        FakeRunner.answering(1, "False\r\n", "The term 'Get-DscLocalConfigurationManager' is not "
                                + "recognized as the name of a cmdlet"),
                        Expect.notPending()),
                arguments("dsc", "no DSC: exit 0, cmdlet not found",
                        FakeRunner.answering(0, "", "The term 'Get-DscLocalConfigurationManager' is not recognized "
                                + "as the name of a cmdlet, function, script file, or operable program."),
                        Expect.notPending()),
                arguments("dsc", "garbage output", FakeRunner.answering(0, "PendingReboot"),
                        Expect.error("printed neither True nor False: PendingReboot")),
                arguments("dsc", "two answers", FakeRunner.answering(0, "True\r\nFalse\r\n"),
                        Expect.error("printed neither True nor False")),
                arguments("dsc", "nothing at all", FakeRunner.answering(0, ""),
                        Expect.error("printed neither True nor False")),
                arguments("dsc", "timeout", FakeRunner.timingOut(), Expect.error("did not finish within 7s")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void detectorReadsPowerShellsAnswer(String detector, String label, FakeRunner runner, Expect expect)
            throws Exception {
        PendingDetector d = WindowsDetectors.named(List.of(detector), new FakeRegistry(), runner, TIMEOUT).get(0);

        if (expect.error() != null) {
            IOException e = assertThrows(IOException.class, d::detect);
            assertTrue(e.getMessage().contains(expect.error()), e.getMessage());
        } else {
            Optional<Reason> found = d.detect();
            if (expect.evidence() == null) {
                assertTrue(found.isEmpty(), () -> "not pending, but got " + found);
            } else {
                assertEquals(detector, found.orElseThrow().name());
                assertEquals(expect.evidence(), found.get().evidence());
            }
        }
        assertEquals(1, runner.commands.size());
        assertEquals(List.of("-NoProfile", "-NonInteractive", "-Command", detector.equals("dsc") ? DSC : CCM),
                runner.commands.get(0).subList(1, 5));
        assertTrue(runner.commands.get(0).get(0).toLowerCase().endsWith("powershell")
                || runner.commands.get(0).get(0).toLowerCase().endsWith("powershell.exe"), runner.commands.get(0).get(0));
        assertEquals(TIMEOUT, runner.timeouts.get(0));
    }

    @Test
    void theCommandIsExactlyTheDocumentedOne() throws Exception {
        FakeRunner runner = FakeRunner.answering(1, "");
        new CcmClient(new PowerShell(runner, "powershell", TIMEOUT)).detect();
        new DscLcm(new PowerShell(runner, "powershell", TIMEOUT)).detect();

        assertEquals(List.of("powershell", "-NoProfile", "-NonInteractive", "-Command", CCM), runner.commands.get(0));
        assertEquals(List.of("powershell", "-NoProfile", "-NonInteractive", "-Command", DSC), runner.commands.get(1));
    }

    @Test
    void detailsNameTheKindOfReboot() throws Exception {
        assertEquals("the Configuration Manager client has a reboot pending",
                new CcmClient(new PowerShell(FakeRunner.answering(0, ccmJson(true, false)), "powershell", TIMEOUT))
                        .detect().orElseThrow().detail());
        assertEquals("the Configuration Manager client has a hard reboot pending",
                new CcmClient(new PowerShell(FakeRunner.answering(0, ccmJson(true, true)), "powershell", TIMEOUT))
                        .detect().orElseThrow().detail());
    }

    @Test
    void aPowerShellTimeoutIsReportedAndNeverPending() {
        PendingCheck check = new PendingCheck(WindowsDetectors.named(List.of("ccm_client", "dsc"), new FakeRegistry(),
                FakeRunner.timingOut(), TIMEOUT));

        PendingState state = check.run();

        assertFalse(state.pending());
        assertTrue(state.errors().get("ccm_client").contains(CommandTimeoutException.class.getSimpleName()),
                state.errors().get("ccm_client"));
        assertTrue(state.errors().containsKey("dsc"));
    }

    @Test
    void aPowerShellThatCannotStartIsAnError() {
        PowerShell powershell = new PowerShell((argv, dir, timeout) -> {
            throw new IOException("Cannot run program \"powershell\": error=2, No such file or directory");
        }, "powershell", TIMEOUT);

        assertThrows(IOException.class, () -> new CcmClient(powershell).detect());
        assertThrows(IOException.class, () -> new DscLcm(powershell).detect());
    }

    @Test
    void longGarbageIsCutInTheMessage() {
        String garbage = "x".repeat(5000);
        IOException e = assertThrows(IOException.class, () -> new DscLcm(
                new PowerShell(FakeRunner.answering(0, garbage), "powershell", TIMEOUT)).detect());
        assertTrue(e.getMessage().length() < 400, e.getMessage());
    }
}
