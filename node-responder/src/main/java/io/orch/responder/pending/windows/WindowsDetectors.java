package io.orch.responder.pending.windows;

import io.orch.responder.command.CommandRunner;
import io.orch.responder.pending.PendingDetector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The Windows pending detectors by name: the one place the config's detector names become detectors. */
public final class WindowsDetectors {
    static final String WINDOWS_CBS = "windows_cbs";
    static final String WINDOWS_UPDATE = "windows_update";
    static final String PENDING_FILE_RENAME = "pending_file_rename";
    static final String UPDATE_EXE_VOLATILE = "update_exe_volatile";
    static final String COMPUTER_RENAME = "computer_rename";
    static final String DOMAIN_JOIN = "domain_join";
    static final String CCM_CLIENT = "ccm_client";
    static final String DSC = "dsc";

    /** Every Windows reason, in the order they are checked: the registry first, PowerShell last. */
    public static final List<String> ALL = List.of(WINDOWS_CBS, WINDOWS_UPDATE, PENDING_FILE_RENAME,
            UPDATE_EXE_VOLATILE, COMPUTER_RENAME, DOMAIN_JOIN, CCM_CLIENT, DSC);

    /**
     * How long {@code ccm_client} and {@code dsc} each wait for PowerShell by default: it starts in
     * about a second, a WMI provider can take several more, and a request lives a minute.
     */
    static final Duration POWERSHELL_TIMEOUT = Duration.ofSeconds(15);

    private WindowsDetectors() {
    }

    /**
     * The detectors for these names over this machine's registry, as {@link #named(List, Registry,
     * CommandRunner)} builds them.
     *
     * @throws IllegalArgumentException for a name that is not in {@link #ALL}, or one given twice
     */
    public static List<PendingDetector> localMachine(List<String> names, CommandRunner runner) {
        return named(names, Registry.localMachine(), runner);
    }

    /**
     * The detectors for these names, in the order given, PowerShell queries bounded by
     * {@link #POWERSHELL_TIMEOUT}. Building them reads nothing: each reads the registry or runs its
     * query on every {@code detect()}.
     *
     * @param registry {@link Registry#localMachine()} on Windows; a fake in tests
     * @param runner   runs PowerShell for {@code ccm_client} and {@code dsc}
     * @throws IllegalArgumentException for a name that is not in {@link #ALL}, or one given twice
     */
    static List<PendingDetector> named(List<String> names, Registry registry, CommandRunner runner) {
        return named(names, registry, runner, POWERSHELL_TIMEOUT);
    }

    /**
     * As {@link #named(List, Registry, CommandRunner)}, with how long each PowerShell query may take.
     *
     * @throws IllegalArgumentException also for a timeout that is not positive
     */
    static List<PendingDetector> named(List<String> names, Registry registry, CommandRunner runner,
                                       Duration powershellTimeout) {
        Objects.requireNonNull(names, "names == null");
        Objects.requireNonNull(registry, "registry == null");
        Objects.requireNonNull(runner, "runner == null");
        PowerShell powershell = new PowerShell(runner, PowerShell.defaultExecutable(), powershellTimeout);
        List<PendingDetector> detectors = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (String name : names) {
            if (seen.contains(name)) {
                throw new IllegalArgumentException("Windows pending detector " + name + " is listed twice");
            }
            seen.add(name);
            detectors.add(create(name, registry, powershell));
        }
        return List.copyOf(detectors);
    }

    private static PendingDetector create(String name, Registry registry, PowerShell powershell) {
        if (name == null) {
            throw new IllegalArgumentException("Windows pending detector name is null; known: " + ALL);
        }
        return switch (name) {
            case WINDOWS_CBS -> RegistryKeyExists.componentBasedServicing(registry);
            case WINDOWS_UPDATE -> RegistryKeyExists.windowsUpdate(registry);
            case PENDING_FILE_RENAME -> new PendingFileRename(registry);
            case UPDATE_EXE_VOLATILE -> new UpdateExeVolatile(registry);
            case COMPUTER_RENAME -> new ComputerRename(registry);
            case DOMAIN_JOIN -> new DomainJoin(registry);
            case CCM_CLIENT -> new CcmClient(powershell);
            case DSC -> new DscLcm(powershell);
            default -> throw new IllegalArgumentException("unknown Windows pending detector '" + name
                    + "'; known: " + String.join(", ", ALL));
        };
    }
}
