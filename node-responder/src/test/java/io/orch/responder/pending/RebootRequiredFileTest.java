package io.orch.responder.pending;

import io.orch.protocol.payload.Reason;
import static io.orch.responder.Fixture.mkdirs;
import static io.orch.responder.Fixture.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The package managers' flag files: pending when the file exists, with the packages from .pkgs as evidence. */
class RebootRequiredFileTest {

    @TempDir
    Path root;

    static Stream<Arguments> flagFiles() {
        Function<Path, RebootRequiredFile> debian = RebootRequiredFile::debian;
        Function<Path, RebootRequiredFile> suse = RebootRequiredFile::suse;
        return Stream.of(
                arguments("debian", debian, "run/reboot-required", "reboot_required"),
                arguments("debian", debian, "var/run/reboot-required", "reboot_required"),
                arguments("suse", suse, "run/reboot-needed", "reboot_needed"),
                arguments("suse", suse, "var/run/reboot-needed", "reboot_needed"));
    }

    @ParameterizedTest(name = "{0}: /{2}")
    @MethodSource("flagFiles")
    void flagFileMakesTheRebootPending(String family, Function<Path, RebootRequiredFile> detector, String flag,
                                       String reason) throws Exception {
        write(root, flag, "*** System restart required ***\n");

        Reason found = detector.apply(root).detect().orElseThrow();

        assertEquals(reason, found.name());
        assertEquals(Map.of("file", "/" + flag), found.evidence());
        assertEquals("/" + flag + " exists", found.detail());
    }

    @ParameterizedTest(name = "{0}: /{2}")
    @MethodSource("flagFiles")
    void withoutTheFlagFileNothingIsPending(String family, Function<Path, RebootRequiredFile> detector, String flag,
                                           String reason) throws Exception {
        write(root, flag + ".pkgs", "linux-image-amd64\n");
        mkdirs(root, "run");

        assertEquals(Optional.empty(), detector.apply(root).detect());
        assertEquals(reason, detector.apply(root).name());
    }

    @Test
    void debianDoesNotReadTheSuseFlagAndTheReverse() throws Exception {
        write(root, "run/reboot-needed", "");
        assertEquals(Optional.empty(), RebootRequiredFile.debian(root).detect());
        assertTrue(RebootRequiredFile.suse(root).detect().isPresent());
    }

    @Test
    void runIsPreferredOverVarRun() throws Exception {
        write(root, "run/reboot-required", "");
        write(root, "var/run/reboot-required", "");
        assertEquals("/run/reboot-required", RebootRequiredFile.debian(root).detect().orElseThrow().evidence().get("file"));
    }

    @Test
    void emptyFlagFileIsEnough() throws Exception {
        write(root, "run/reboot-required", new byte[0]);
        assertTrue(RebootRequiredFile.debian(root).detect().isPresent());
    }

    @Test
    void packagesFromPkgsAreTheEvidence() throws Exception {
        write(root, "run/reboot-required", "*** System restart required ***\n");
        write(root, "run/reboot-required.pkgs", "linux-image-6.1.0-10-amd64\nlibc6\ndbus\n");

        Reason found = RebootRequiredFile.debian(root).detect().orElseThrow();

        assertEquals(List.of("linux-image-6.1.0-10-amd64", "libc6", "dbus"), found.evidence().get("packages"));
        assertEquals("/run/reboot-required exists (linux-image-6.1.0-10-amd64, libc6, dbus)", found.detail());
    }

    static Stream<Arguments> pkgsContents() {
        ByteArrayOutputStream binary = new ByteArrayOutputStream();
        binary.writeBytes("libc6\n".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 4096; i++) {
            binary.write(i * 31 % 256);
        }
        binary.writeBytes("\nopenssl\n".getBytes(StandardCharsets.UTF_8));
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            many.append("pkg").append(i).append('\n');
        }
        return Stream.of(
                arguments("blank lines and indentation", "\n\n  libc6  \n\t\n   \ndbus\n".getBytes(StandardCharsets.UTF_8),
                        List.of("libc6", "dbus")),
                arguments("duplicates", "libc6\nlibc6\ndbus\nlibc6\n".getBytes(StandardCharsets.UTF_8),
                        List.of("libc6", "dbus")),
                arguments("CRLF line ends", "libc6\r\ndbus\r\n".getBytes(StandardCharsets.UTF_8),
                        List.of("libc6", "dbus")),
                arguments("garbage lines", ("libc6\nrm -rf /\n$(touch x)\n<script>\nlibstdc++6:amd64\n"
                        + "name with spaces\nfoo;bar\n").getBytes(StandardCharsets.UTF_8),
                        List.of("libc6", "libstdc++6:amd64")),
                arguments("binary bytes", binary.toByteArray(), List.of("libc6", "openssl")),
                arguments("overlong line", ("a".repeat(129) + "\n" + "b".repeat(128) + "\n").getBytes(StandardCharsets.UTF_8),
                        List.of("b".repeat(128))),
                arguments("only blank lines", "\n\n\n".getBytes(StandardCharsets.UTF_8), List.of()),
                arguments("empty file", new byte[0], List.of()),
                arguments("versions and epochs", "linux-image-6.1.0-10-amd64\n1:2.36-9+deb12u4\nfoo_1.0~rc1\n"
                        .getBytes(StandardCharsets.UTF_8), List.of("linux-image-6.1.0-10-amd64", "1:2.36-9+deb12u4",
                        "foo_1.0~rc1")),
                arguments("five thousand packages", many.toString().getBytes(StandardCharsets.UTF_8),
                        Stream.iterate(0, i -> i + 1).limit(200).map(i -> "pkg" + i).toList()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pkgsContents")
    void oddPkgsContentIsSkippedAndTheFlagStillCounts(String what, byte[] pkgs, List<String> expected) throws Exception {
        write(root, "run/reboot-required", "");
        write(root, "run/reboot-required.pkgs", pkgs);

        Reason found = RebootRequiredFile.debian(root).detect().orElseThrow();

        assertEquals(expected, found.evidence().getOrDefault("packages", List.of()));
        assertEquals(expected.isEmpty(), !found.evidence().containsKey("packages"));
    }

    @Test
    void hugePkgsFileIsCappedAndStillPending() throws Exception {
        write(root, "run/reboot-required", "");
        byte[] line = ("x".repeat(1000) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream huge = new ByteArrayOutputStream();
        huge.writeBytes("libc6\n".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 8 * 1024; i++) {
            huge.writeBytes(line);
        }
        write(root, "run/reboot-required.pkgs", huge.toByteArray());

        Reason found = RebootRequiredFile.debian(root).detect().orElseThrow();

        assertEquals(List.of("libc6"), found.evidence().get("packages"));
    }

    @Test
    void unreadablePkgsStillMeansPending() throws Exception {
        write(root, "run/reboot-required", "");
        Path pkgs = root.resolve("run/reboot-required.pkgs");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            // root reads everything; /proc/self/mem is a regular file whose first page cannot be read.
            Path unreadable = Path.of("/proc/self/mem");
            assumeTrue(Files.isRegularFile(unreadable), "needs /proc/self/mem to make an unreadable file as root");
            Files.createSymbolicLink(pkgs, unreadable);
        } else {
            write(this.root, "run/reboot-required.pkgs", "libc6\n");
            Files.setPosixFilePermissions(pkgs, PosixFilePermissions.fromString("---------"));
            assumeTrue(!Files.isReadable(pkgs), "file permissions are not enforced here");
        }

        Reason found = RebootRequiredFile.debian(this.root).detect().orElseThrow();

        assertEquals("reboot_required", found.name());
        assertFalse(found.evidence().containsKey("packages"));
    }

    @Test
    void pkgsThatIsAFolderIsIgnored() throws Exception {
        write(root, "run/reboot-required", "");
        mkdirs(root, "run/reboot-required.pkgs");
        assertEquals(Map.of("file", "/run/reboot-required"),
                RebootRequiredFile.debian(root).detect().orElseThrow().evidence());
    }
}
