package io.orch.responder.command;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Whether a program the responder runs as root (an external fact script, the sentinel command, a
 * file the sentinel command is given) is one only root can change: the file, its folder and every
 * folder above it owned by root and not writable by group or others (a folder above may be
 * writable when it has the sticky bit, as {@code /tmp} has: others cannot rename root's folder in
 * it). Anyone else who could change the file, or swap a folder on its path, could run what they
 * like as root and fake the facts or the pending state that decide reboots.
 *
 * <p>The check resolves symlinks and checks the real file's folders; when the name given goes
 * through a symlink, the folders along the name are checked too, so that nobody but root can point
 * it elsewhere between the check and the run. Callers run the name they were given
 * ({@link Checked#path()}): a multi-call program such as busybox behind {@code /bin/sh} looks at
 * the name it was started by.
 *
 * <p>On Windows the owner of the file and of every folder above must be Administrators, SYSTEM
 * or TrustedInstaller (which owns {@code C:\} and {@code C:\Program Files}); the access list
 * itself is not read (the installer's folders give write to Administrators only).
 */
public final class TrustedExecutable {
    private static final int GROUP_OTHER_WRITE = 0022;
    private static final int STICKY = 01000;
    private static final Set<String> WINDOWS_TRUSTED_OWNERS = Set.of("administrators", "system", "trustedinstaller");

    /**
     * The outcome of a check: the path to run (the name given, made absolute; as given when it does
     * not exist, for the run to report in its own words) and null, or why it may not run and how to fix it.
     */
    public record Checked(Path path, String problem) {
        public boolean trusted() {
            return problem == null;
        }
    }

    private TrustedExecutable() {
    }

    /**
     * Checks {@code program}. A name without a folder is looked up on {@code PATH}, as the OS would;
     * one that is not found is trusted as given, for the run to report (path null).
     */
    public static Checked check(String program) {
        return check(program, System.getenv());
    }

    static Checked check(String program, Map<String, String> env) {
        Path file = locate(program, env);
        return file == null ? new Checked(null, null) : check(file);
    }

    /** As {@link #check(String)}, for a path. */
    public static Checked check(Path program) {
        Path real;
        try {
            real = program.toRealPath();
        } catch (IOException e) {
            return new Checked(program, null); // missing: the run says so in its own words
        }
        String problem = problem(real, "", false);
        Path folder = real.getParent();
        if (problem == null && folder != null) {
            problem = problem(folder, "the folder of " + real + ", ", false);
        }
        for (Path above = folder == null ? null : folder.getParent(); problem == null && above != null;
                above = above.getParent()) {
            problem = problem(above, "a folder above " + real + ", ", true);
        }
        Path given = program.toAbsolutePath().normalize();
        if (problem == null && !given.equals(real)) {
            // Reached through a symlink: the link and every folder along the name must be root's alone too.
            problem = linkProblem(given);
            for (Path along = given.getParent(); problem == null && along != null; along = along.getParent()) {
                // A folder on the way may itself be a link (/bin -> usr/bin): then its owner is what counts.
                problem = Files.isSymbolicLink(along) ? linkProblem(along)
                        : problem(along, "a folder on the way to " + real + ", ", along != given.getParent());
            }
        }
        return new Checked(problem == null ? given : real, problem == null ? null : "not run: " + problem);
    }

    /** A symlink's own mode means nothing; its owner is whoever may repoint it (with its folder's). */
    private static String linkProblem(Path link) {
        Path given = link;
        if (!Files.isSymbolicLink(given)) {
            return null;
        }
        try {
            if (given.getFileSystem().supportedFileAttributeViews().contains("unix")) {
                long uid = ((Number) Files.getAttribute(given, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
                return uid == 0 ? null : "the symlink " + given + " is owned by uid " + uid + ", not root; fix: chown -h "
                        + "root " + given;
            }
            return null;
        } catch (IOException | UnsupportedOperationException e) {
            return "cannot read the owner of " + given + " (" + e.getMessage() + ")";
        }
    }

    /** Null when root alone can change {@code path}, else why not and the fix. */
    private static String problem(Path path, String what, boolean stickyWillDo) {
        try {
            if (path.getFileSystem().supportedFileAttributeViews().contains("unix")) {
                long uid = ((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
                int mode = ((Number) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue();
                if (uid != 0) {
                    return what + path + " is owned by uid " + uid + ", not root, and the responder runs "
                            + "it as root; fix: chown root " + path + " && chmod go-w " + path;
                }
                if ((mode & GROUP_OTHER_WRITE) != 0 && !(stickyWillDo && (mode & STICKY) != 0)) {
                    return what + path + " is writable by group or others (mode "
                            + String.format("%04o", mode & 07777) + "), and the responder runs it as root; fix: "
                            + "chmod go-w " + path;
                }
                return null;
            }
            String owner = Files.getOwner(path).getName();
            String name = owner.substring(owner.lastIndexOf('\\') + 1).toLowerCase(Locale.ROOT);
            if (!WINDOWS_TRUSTED_OWNERS.contains(name)) {
                return what + path + " is owned by " + owner + ", not Administrators, and the responder "
                        + "runs it as LocalSystem; fix: icacls \"" + path + "\" /setowner Administrators";
            }
            return null;
        } catch (IOException | UnsupportedOperationException e) {
            return "cannot read the owner of " + path + " (" + e.getMessage() + ")";
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
