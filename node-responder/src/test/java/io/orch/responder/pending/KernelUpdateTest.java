package io.orch.responder.pending;

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

/** Pending when the running kernel is older than the newest one in /boot or /lib/modules. */
class KernelUpdateTest {

    @TempDir
    Path root;

    static Stream<Arguments> kernels() {
        return Stream.of(
                arguments("running the only installed kernel", "6.1.0-9-amd64",
                        List.of("6.1.0-9-amd64"), List.of("6.1.0-9-amd64"), null),
                arguments("newer kernel in /boot (10 > 9, not text order)", "6.1.0-9-amd64",
                        List.of("6.1.0-9-amd64", "6.1.0-10-amd64"), List.of("6.1.0-9-amd64"), "6.1.0-10-amd64"),
                arguments("newer kernel only in /lib/modules", "6.1.0-9-amd64",
                        List.of("6.1.0-9-amd64"), List.of("6.1.0-9-amd64", "6.1.0-10-amd64"), "6.1.0-10-amd64"),
                arguments("running newer than everything installed", "6.1.0-10-amd64",
                        List.of("6.1.0-9-amd64"), List.of("6.1.0-9-amd64"), null),
                arguments("older kernels kept around", "6.1.0-10-amd64",
                        List.of("6.1.0-7-amd64", "6.1.0-9-amd64", "6.1.0-10-amd64"), List.of(), null),
                arguments("RHEL: newer errata kernel", "5.14.0-427.13.1.el9_4.x86_64",
                        List.of("5.14.0-427.13.1.el9_4.x86_64", "5.14.0-503.11.1.el9_5.x86_64"), List.of(),
                        "5.14.0-503.11.1.el9_5.x86_64"),
                arguments("RHEL: same kernel", "5.14.0-427.13.1.el9_4.x86_64",
                        List.of("5.14.0-427.13.1.el9_4.x86_64"), List.of("5.14.0-427.13.1.el9_4.x86_64"), null),
                arguments("RHEL: older rescue image is ignored", "5.14.0-427.13.1.el9_4.x86_64",
                        List.of("0-rescue-1a2b3c", "5.14.0-362.8.1.el9_3.x86_64"), List.of(), null),
                arguments("Ubuntu: hwe kernel", "5.15.0-91-generic",
                        List.of("5.15.0-91-generic", "6.5.0-14-generic"), List.of(), "6.5.0-14-generic"),
                arguments("nothing installed at all", "6.1.0-9-amd64", List.of(), List.of(), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kernels")
    void runningKernelIsComparedWithTheNewestInstalled(String what, String running, List<String> boot,
                                                       List<String> modules, String newest) throws Exception {
        write(root, "proc/sys/kernel/osrelease", running + "\n");
        mkdirs(root, "boot");
        for (String k : boot) {
            write(root, "boot/vmlinuz-" + k, "kernel image");
        }
        for (String k : modules) {
            mkdirs(root, "lib/modules/" + k + "/kernel");
        }

        Optional<PendingReason> found = new KernelUpdate(root).detect();

        if (newest == null) {
            assertEquals(Optional.empty(), found);
        } else {
            PendingReason reason = found.orElseThrow();
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
