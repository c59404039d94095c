package io.orch.trust;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** Where keys are kept: a private key others can read is no longer private, and is refused as ssh does. */
public final class KeyFiles {
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private KeyFiles() {
    }

    /**
     * Refuses {@code key} when others have any access, or its group does. One exception, so that a
     * Puppet agent's key works as Puppet writes it ({@code root:root}, mode 0640): read access for
     * the group {@code root} (gid 0), which holds nobody but root. On a filesystem without POSIX
     * permissions (Windows) nothing is checked here.
     */
    public static void checkPrivate(Path key) throws TrustException {
        if (Files.getFileAttributeView(key, PosixFileAttributeView.class) == null) {
            return;
        }
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(key);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new TrustException(key + ": no such file");
        } catch (IOException e) {
            throw new TrustException(key + ": cannot read its permissions: " + e.getMessage(), e);
        }
        Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
        open.addAll(permissions);
        open.retainAll(OTHERS);
        if (open.equals(EnumSet.of(PosixFilePermission.GROUP_READ)) && rootGroup(key)) {
            return;
        }
        if (!open.isEmpty()) {
            throw new TrustException("private key " + key + " is accessible by others (" + PosixFilePermissions
                    .toString(permissions) + "); it must be readable by its owner only: chmod 600 " + key);
        }
    }

    private static boolean rootGroup(Path key) {
        try {
            Object gid = Files.getAttribute(key, "unix:gid");
            return gid instanceof Integer id && id == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }
}
