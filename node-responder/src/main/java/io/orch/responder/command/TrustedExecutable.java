package io.orch.responder.command;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Whether a program the responder runs as root (an external fact script, the sentinel command) is
 * one only root can change: the file and its folder owned by root and not writable by group or
 * others. Anyone else who could change it could run what they like as root, and fake the facts or
 * the pending state that decide reboots. On Windows the owner must be Administrators or SYSTEM;
 * the access list itself is not read (the installer's folders give write to Administrators only).
 */
public final class TrustedExecutable {
    private static final int GROUP_OTHER_WRITE = 0022;

    private TrustedExecutable() {
    }

    /**
     * Null when {@code program} may run, else why not and how to fix it. A name without a folder is
     * looked up on {@code PATH}, as the OS would; one that is not found is left to the run to report.
     */
    public static String problem(String program) {
        return problem(program, System.getenv());
    }

    static String problem(String program, Map<String, String> env) {
        Path file = locate(program, env);
        return file == null ? null : problem(file);
    }

    /** As {@link #problem(String)}, for a path. */
    public static String problem(Path program) {
        Path real;
        try {
            real = program.toRealPath();
        } catch (IOException e) {
            return null; // missing: the run says so in its own words
        }
        String file = problem(real, "");
        if (file != null) {
            return file;
        }
        Path folder = real.getParent();
        return folder == null ? null : problem(folder, "the folder of " + real + ", ");
    }

    private static String problem(Path path, String what) {
        try {
            if (path.getFileSystem().supportedFileAttributeViews().contains("unix")) {
                long uid = ((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
                int mode = ((Number) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue();
                if (uid != 0) {
                    return "not run: " + what + path + " is owned by uid " + uid + ", not root, and the responder runs "
                            + "it as root; fix: chown root " + path + " && chmod go-w " + path;
                }
                if ((mode & GROUP_OTHER_WRITE) != 0) {
                    return "not run: " + what + path + " is writable by group or others (mode "
                            + String.format("%04o", mode & 07777) + "), and the responder runs it as root; fix: "
                            + "chmod go-w " + path;
                }
                return null;
            }
            String owner = Files.getOwner(path).getName();
            String name = owner.substring(owner.lastIndexOf('\\') + 1).toLowerCase(Locale.ROOT);
            if (!name.equals("administrators") && !name.equals("system")) {
                return "not run: " + what + path + " is owned by " + owner + ", not Administrators, and the responder "
                        + "runs it as LocalSystem; fix: icacls \"" + path + "\" /setowner Administrators";
            }
            return null;
        } catch (IOException | UnsupportedOperationException e) {
            return "not run: cannot read the owner of " + path + " (" + e.getMessage() + ")";
        }
    }

    /** The file {@code program} names: itself when it has a folder, else the first match on PATH. */
    static Path locate(String program, Map<String, String> env) {
        if (program.contains("/") || program.contains(File.separator)) {
            return Path.of(program);
        }
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
