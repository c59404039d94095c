package io.orch.responder.pending;

import io.orch.protocol.payload.Reason;
import static io.orch.responder.Fixture.mkdirs;
import static io.orch.responder.Fixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pending when the running kernel is older than the newest installed one of its flavour: a
 * /boot/vmlinuz-*, or a /lib/modules folder whose kernel image exists.
 */
class KernelUpdateTest {

    private static final String EL9_4 = "5.14.0-427.13.1.el9_4.x86_64";
    private static final String EL9_5 = "5.14.0-503.11.1.el9_5.x86_64";

    @TempDir
    Path root;

    static Stream<Arguments> flavours() {
        return Stream.of(
                arguments("6.1.0-26-amd64", "amd64"),
                arguments("6.1.0-26-cloud-amd64", "cloud-amd64"),
                arguments("6.1.0-26-rt-amd64", "rt-amd64"),
                arguments("5.15.0-91-generic", "generic"),
                arguments("6.8.0-45-lowlatency", "lowlatency"),
                arguments(EL9_4, ""),
                arguments(EL9_4 + "+debug", "+debug"),
                arguments("6.1.0-26-amd64+rt", "amd64+rt"),
                arguments("6.6.9", ""),
                arguments("0-rescue-1a2b3c", "rescue"));
    }

    @ParameterizedTest(name = "{0} -> ''{1}''")
    @MethodSource("flavours")
    void flavourIsTheLetterSegmentsAfterTheVersionPlusAnySuffix(String release, String flavour) {
        assertEquals(flavour, KernelUpdate.flavour(release));
    }

    /**
     * @param boot    kernels with a /boot/vmlinuz-VERSION (and their /lib/modules/VERSION)
     * @param rhel9   kernels with only /lib/modules/VERSION/vmlinuz (RHEL 9, Fedora)
     * @param leftover /lib/modules/VERSION folders without any kernel image (a removed kernel's leftovers)
     */
    static Stream<Arguments> kernels() {
        return Stream.of(
                arguments("running the only installed kernel", "6.1.0-9-amd64",
                        List.of("6.1.0-9-amd64"), List.of(), List.of(), null),
                arguments("newer kernel in /boot (10 > 9, not text order)", "6.1.0-9-amd64",
                        List.of("6.1.0-9-amd64", "6.1.0-10-amd64"), List.of(), List.of(), "6.1.0-10-amd64"),
                arguments("newer module folder left behind without a kernel image", "6.1.0-9-amd64",
                        List.of("6.1.0-9-amd64"), List.of(), List.of("6.1.0-10-amd64"), null),
                arguments("running newer than everything installed", "6.1.0-10-amd64",
                        List.of("6.1.0-9-amd64"), List.of(), List.of(), null),
                arguments("older kernels kept around", "6.1.0-10-amd64",
                        List.of("6.1.0-7-amd64", "6.1.0-9-amd64", "6.1.0-10-amd64"), List.of(), List.of(), null),
                arguments("Debian: newer cloud kernel is another flavour", "6.1.0-26-amd64",
                        List.of("6.1.0-26-amd64", "6.1.0-28-cloud-amd64"), List.of(), List.of(), null),
                arguments("Debian: newer kernel of the running cloud flavour", "6.1.0-26-cloud-amd64",
                        List.of("6.1.0-26-cloud-amd64", "6.1.0-28-amd64", "6.1.0-28-cloud-amd64"), List.of(),
                        List.of(), "6.1.0-28-cloud-amd64"),
                arguments("Ubuntu: hwe kernel", "5.15.0-91-generic",
                        List.of("5.15.0-91-generic", "6.5.0-14-generic"), List.of(), List.of(), "6.5.0-14-generic"),
                arguments("Ubuntu: newer lowlatency beside a running generic", "6.8.0-45-generic",
                        List.of("6.8.0-45-generic", "6.8.0-48-lowlatency"), List.of(), List.of(), null),
                arguments("Ubuntu: newer lowlatency on a lowlatency node", "6.8.0-45-lowlatency",
                        List.of("6.8.0-45-lowlatency", "6.8.0-48-generic", "6.8.0-48-lowlatency"), List.of(),
                        List.of(), "6.8.0-48-lowlatency"),
                arguments("RHEL: newer errata kernel in /boot", EL9_4,
                        List.of(EL9_4, EL9_5), List.of(), List.of(), EL9_5),
                arguments("RHEL: same kernel", EL9_4, List.of(EL9_4), List.of(), List.of(), null),
                arguments("RHEL: older rescue image is ignored", EL9_4,
                        List.of("0-rescue-1a2b3c", "5.14.0-362.8.1.el9_3.x86_64"), List.of(), List.of(), null),
                arguments("RHEL 9 layout: newer kernel image inside /lib/modules", EL9_4,
                        List.of(), List.of(EL9_4, EL9_5), List.of(), EL9_5),
                arguments("RHEL 9 layout: same kernel", EL9_4, List.of(), List.of(EL9_4), List.of(), null),
                arguments("RHEL 9 layout: newer debug kernel is another flavour", EL9_4,
                        List.of(), List.of(EL9_4, EL9_4 + "+debug", EL9_5 + "+debug"), List.of(), null),
                arguments("RHEL 9 layout: newer debug kernel on a debug node", EL9_4 + "+debug",
                        List.of(), List.of(EL9_4 + "+debug", EL9_5, EL9_5 + "+debug"), List.of(), EL9_5 + "+debug"),
                arguments("RHEL 9 layout: newer module folder left behind", EL9_4,
                        List.of(), List.of(EL9_4), List.of(EL9_5), null),
                arguments("nothing installed at all", "6.1.0-9-amd64", List.of(), List.of(), List.of(), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void runningKernelIsComparedWithTheNewestInstalledOfItsFlavour(String what, String running, List<String> boot,
            List<String> rhel9, List<String> leftover, String newest) throws Exception {
        write(root, "proc/sys/kernel/osrelease", running + "\n");
        mkdirs(root, "boot");
        for (String k : boot) {
            write(root, "boot/vmlinuz-" + k, "kernel image");
            mkdirs(root, "lib/modules/" + k + "/kernel");
        }
        for (String k : rhel9) {
            write(root, "lib/modules/" + k + "/vmlinuz", "kernel image");
        }
        for (String k : leftover) {
            mkdirs(root, "lib/modules/" + k + "/kernel");
        }

        Optional<Reason> found = new KernelUpdate(root).detect();

        if (newest == null) {
            assertEquals(Optional.empty(), found);
        } else {
            Reason reason = found.orElseThrow();
            assertEquals("kernel_update", reason.name());
            assertEquals(Map.of("running", running, "newest", newest), reason.evidence());
            assertEquals("running kernel " + running + " is older than installed " + newest, reason.detail());
        }
    }

    @Test
    void withoutOsreleaseNothingIsPending() throws Exception {
        write(root, "boot/vmlinuz-9.9.9", "");
        assertEquals(Optional.empty(), new KernelUpdate(root).detect());
    }

    @Test
    void blankOsreleaseIsNotPending() throws Exception {
        write(root, "proc/sys/kernel/osrelease", "\n");
        write(root, "boot/vmlinuz-9.9.9", "");
        assertEquals(Optional.empty(), new KernelUpdate(root).detect());
    }

    @Test
    void emptyRootIsNotPending() throws Exception {
        assertEquals(Optional.empty(), new KernelUpdate(root).detect());
    }

    @Test
    void filesInLibModulesAndOtherBootFilesAreNotKernels() throws Exception {
        write(root, "proc/sys/kernel/osrelease", "6.1.0-9-amd64");
        write(root, "lib/modules/9.9.9", "a file, not a folder");
        write(root, "boot/initrd.img-9.9.9", "");
        write(root, "boot/config-9.9.9", "");
        write(root, "boot/System.map-9.9.9", "");
        write(root, "boot/vmlinuz", "a symlink name without a version");
        assertEquals(Optional.empty(), new KernelUpdate(root).detect());
    }
}
