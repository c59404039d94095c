package io.orch.responder.state;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's state folder: the reboot journal, the replay memory and the audit log live here.
 *
 * <p>{@link #open} checks it before the responder runs: a folder (or a parent on its path) that group
 * or others can write, that is a symlink, or that is not owned by the service user lets someone else
 * plant or replace the journal the node trusts after boot, so the responder refuses to start and says
 * which path is wrong and the chmod/chown that fixes it. A folder or file others can merely read is
 * made owner-only, with a warning.
 *
 * <p>Every file is created readable and writable by its owner only (0600) and never through a symlink:
 * whole files are written to a new file with a random name ({@code CREATE_NEW}, which refuses anything
 * already there, symlinks included), fsynced and renamed over the old one; existing files are opened
 * with {@code NOFOLLOW_LINKS}. Writes and fsyncs go through a {@link Disk}, where tests make the disk full.
 *
 * <p>On Windows there are no POSIX owners and modes: the folder ({@code %ProgramData%\orch}) gets a
 * protected access list at every start instead (SYSTEM and Administrators only, see
 * {@link WindowsStateAcl}), and the responder refuses to start when another account can still write it.
 */
public final class StateFolder {
    private static final Logger log = LoggerFactory.getLogger(StateFolder.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int GROUP_OTHER_WRITE = 0022;
    private static final int GROUP_OTHER_ANY = 0077;
    private static final int STICKY = 01000;
    private static final String TEMP_MARK = ".tmp-";

    private final Path dir;
    private final Disk disk;
    private final boolean posix;

    private StateFolder(Path dir, Disk disk) {
        this.dir = Objects.requireNonNull(dir, "dir == null");
        this.disk = Objects.requireNonNull(disk, "disk == null");
        this.posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /**
     * Creates the folder (0700) if needed and checks it, its files and its parents.
     *
     * @throws StateFolderException naming the path, what is wrong and the command that fixes it
     */
    public static StateFolder open(Path dir) throws StateFolderException {
        return open(dir, Disk.REAL);
    }

    /** As {@link #open(Path)}, writing through {@code disk}. */
    public static StateFolder open(Path dir, Disk disk) throws StateFolderException {
        StateFolder folder = new StateFolder(dir.toAbsolutePath().normalize(), disk);
        folder.create();
        folder.check();
        return folder;
    }

    /**
     * The folder without the checks of {@link #open} (and not created until something is written):
     * for tools and tests that read a node's files. Files are still written owner-only and never
     * through a symlink.
     */
    public static StateFolder unchecked(Path dir) {
        return new StateFolder(dir.toAbsolutePath().normalize(), Disk.REAL);
    }

    public Path dir() {
        return dir;
    }

    /** The path of the file {@code name} (a plain file name) in this folder. */
    public Path resolve(String name) {
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a plain file name: '" + name + "'");
        }
        return dir.resolve(name);
    }

    /** What puts a file's content into a channel, for {@link #replace(String, Content)}. */
    @FunctionalInterface
    public interface Content {
        void writeTo(WritableByteChannel out) throws IOException;
    }

    /** Puts {@code bytes} in place of the file {@code name}, durably: a crash leaves the old or the new file. */
    public void replace(String name, byte[] bytes) throws IOException {
        replace(name, out -> out.write(ByteBuffer.wrap(bytes)));
    }

    /** As {@link #replace(String, byte[])}, for content written in parts. */
    public void replace(String name, Content content) throws IOException {
        Path target = resolve(name);
        Path tmp = writeNew(name, content);
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw e;
        }
        syncDir();
    }

    /**
     * Proves that a file of {@code bytes} can be written here now (permissions, a read-only mount,
     * free space): written to a new file, fsynced, and removed.
     */
    public void probe(String name, byte[] bytes) throws IOException {
        Path tmp = writeNew(name, out -> out.write(ByteBuffer.wrap(bytes)));
        Files.delete(tmp);
    }

    private Path writeNew(String name, Content content) throws IOException {
        createIfMissing();
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        Path tmp = resolve("." + name + TEMP_MARK + HexFormat.of().formatHex(random));
        try (FileChannel out = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), ownerOnly())) {
            content.writeTo(through(tmp, out));
            disk.force(tmp, out);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
        return tmp;
    }

    /** The file's bytes, or null when there is none; at most {@code maxBytes}, else an error. */
    public byte[] read(String name, int maxBytes) throws IOException {
        Path file = resolve(name);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
             InputStream stream = Channels.newInputStream(in)) {
            byte[] bytes = stream.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new IOException(file + " is larger than " + maxBytes + " bytes; it is not a file orch wrote");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            if (Files.isSymbolicLink(file)) {
                throw new StateFolderException(file + " is a symlink; orch never follows one in its state folder: "
                        + "remove it (rm " + file + ")", e);
            }
            throw e;
        }
    }

    /** Opens {@code name} for appending, creating it owner-only; never through a symlink. */
    public FileChannel append(String name) throws IOException {
        createIfMissing();
        return FileChannel.open(resolve(name), Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS), ownerOnly());
    }

    /** Writes all of {@code bytes} to {@code out}, opened by {@link #append} for {@code name}, through the {@link Disk}. */
    public void write(String name, FileChannel out, ByteBuffer bytes) throws IOException {
        disk.write(resolve(name), out, bytes);
    }

    /** Fsyncs {@code out}, opened by {@link #append} for {@code name}, through the {@link Disk}. */
    public void force(String name, FileChannel out) throws IOException {
        disk.force(resolve(name), out);
    }

    public boolean exists(String name) {
        return Files.exists(resolve(name), LinkOption.NOFOLLOW_LINKS);
    }

    /** The size of {@code name}, 0 when there is none. */
    public long size(String name) throws IOException {
        Path file = resolve(name);
        return Files.exists(file, LinkOption.NOFOLLOW_LINKS)
                ? Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS).size() : 0;
    }

    /** Renames {@code from} over {@code to} (a rotation); the rename never follows a symlink. */
    public void move(String from, String to) throws IOException {
        Files.move(resolve(from), resolve(to), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDir();
    }

    public void delete(String name) throws IOException {
        Files.deleteIfExists(resolve(name));
        syncDir();
    }

    /** A rename or a new file is only durable once the folder is synced. */
    public void syncDir() {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            disk.force(dir, channel);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open a folder; the file itself was synced.
        }
    }

    private WritableByteChannel through(Path file, FileChannel out) {
        return new WritableByteChannel() {
            @Override
            public int write(ByteBuffer src) throws IOException {
                int n = src.remaining();
                disk.write(file, out, src);
                return n;
            }

            @Override
            public boolean isOpen() {
                return out.isOpen();
            }

            @Override
            public void close() {
                // The caller closes the file.
            }
        };
    }

    private FileAttribute<?>[] ownerOnly() {
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------"))} : new FileAttribute<?>[0];
    }

    private void createIfMissing() throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            create();
        }
    }

    private void create() throws StateFolderException {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            if (dir.getParent() != null) {
                Files.createDirectories(dir.getParent());
            }
            Files.createDirectory(dir, posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------"))} : new FileAttribute<?>[0]);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new StateFolderException("state folder " + dir + ": cannot create it (" + why(e) + "); remove "
                        + "what is in the way, or set reboot.state_dir to another path", e);
            }
            // Made meanwhile (by another node of the lab): checked like any other.
        } catch (IOException e) {
            throw new StateFolderException("state folder " + dir + ": cannot create it (" + why(e) + "); create it "
                    + "owned by the service user with mode 0700 (install -d -m 0700 " + dir + "), or set "
                    + "reboot.state_dir to a folder this user can write", e);
        }
    }

    private void check() throws StateFolderException {
        if (Files.isSymbolicLink(dir)) {
            throw new StateFolderException("state folder " + dir + " is a symlink; orch keeps its journal only in a "
                    + "real folder: replace the link with a folder (rm " + dir + " && install -d -m 0700 " + dir
                    + "), or point reboot.state_dir at the folder itself");
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new StateFolderException("state folder " + dir + " is not a folder; remove what is there or set "
                    + "reboot.state_dir to another path");
        }
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("unix")) {
            WindowsStateAcl.secure(dir); // Windows: see the class comment.
            return;
        }
        long me = Owner.uid();
        Mode folder = Mode.of(dir);
        if (folder.uid() != me) {
            throw new StateFolderException("state folder " + dir + " is owned by uid " + folder.uid()
                    + ", not by the user the responder runs as (uid " + me + "): someone else could change its "
                    + "journal; fix: chown " + me + " " + dir + " && chmod 0700 " + dir);
        }
        if ((folder.mode() & GROUP_OTHER_WRITE) != 0) {
            throw new StateFolderException("state folder " + dir + " is writable by group or others (mode "
                    + folder.octal() + "): anyone could plant or replace the journal the node trusts after boot; "
                    + "fix: chmod 0700 " + dir);
        }
        checkParents(me);
        if ((folder.mode() & GROUP_OTHER_ANY) != 0) {
            tighten(dir, "rwx------", folder);
        }
        try (var files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                checkFile(file, me);
            }
        } catch (StateFolderException e) {
            throw e;
        } catch (IOException e) {
            throw new StateFolderException("state folder " + dir + ": cannot list it (" + why(e) + ")", e);
        }
    }

    /**
     * A parent that group or others can write (without the sticky bit, as /tmp has) lets them rename
     * the state folder away and put their own in its place; so does one owned by another user.
     */
    private void checkParents(long me) throws StateFolderException {
        Path parent;
        try {
            parent = dir.getParent() == null ? null : dir.getParent().toRealPath();
        } catch (IOException e) {
            throw new StateFolderException("state folder " + dir + ": cannot resolve its parent (" + why(e) + ")", e);
        }
        for (Path p = parent; p != null; p = p.getParent()) {
            Mode mode = Mode.of(p);
            if (mode.uid() != 0 && mode.uid() != me) {
                throw new StateFolderException("state folder " + dir + ": its parent " + p + " is owned by uid "
                        + mode.uid() + " (neither root nor the responder's user, uid " + me + "), who could replace "
                        + "the state folder; fix: chown root " + p + ", or set reboot.state_dir elsewhere");
            }
            if ((mode.mode() & GROUP_OTHER_WRITE) != 0 && (mode.mode() & STICKY) == 0) {
                throw new StateFolderException("state folder " + dir + ": its parent " + p + " is writable by group "
                        + "or others (mode " + mode.octal() + "), who could replace the state folder; fix: chmod go-w "
                        + p + ", or set reboot.state_dir elsewhere");
            }
        }
    }

    private void checkFile(Path file, long me) throws StateFolderException {
        String name = file.getFileName().toString();
        if (Files.isSymbolicLink(file)) {
            throw new StateFolderException("state folder " + dir + " holds a symlink " + name + "; orch never "
                    + "follows one there: remove it (rm " + file + ")");
        }
        if (name.contains(TEMP_MARK) && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            deleteQuietly(file); // left by a crash between write and rename: never the file in use
            return;
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Mode mode = Mode.of(file);
        if (mode.uid() != me) {
            throw new StateFolderException("state file " + file + " is owned by uid " + mode.uid() + ", not by the "
                    + "responder's user (uid " + me + "); fix: chown " + me + " " + file + " && chmod 0600 " + file);
        }
        if ((mode.mode() & GROUP_OTHER_ANY) != 0) {
            tighten(file, "rw-------", mode);
        }
    }

    private static void tighten(Path path, String to, Mode was) throws StateFolderException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(to));
            log.warn("{} was mode {}; made {} (only the responder's user may read the node's state)", path,
                    was.octal(), to);
        } catch (IOException e) {
            throw new StateFolderException(path + " is readable by group or others (mode " + was.octal()
                    + ") and cannot be made owner-only (" + why(e) + "); fix: chmod go-rwx " + path, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.debug("could not delete {}: {}", file, e.getMessage());
        }
    }

    /** The owner and mode bits (with the sticky bit) of a path, not following a symlink. */
    private record Mode(long uid, int mode) {
        static Mode of(Path path) throws StateFolderException {
            try {
                return new Mode(((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue(),
                        ((Number) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue() & 07777);
            } catch (IOException e) {
                throw new StateFolderException("cannot read the owner and mode of " + path + " (" + why(e) + ")", e);
            }
        }

        String octal() {
            return String.format("%04o", mode);
        }
    }

    /** The OS's reason in a few words; Java's own message is often just the path. */
    public static String why(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder: " + e.getMessage();
        }
        if (e instanceof NotDirectoryException) {
            return "not a folder: " + e.getMessage();
        }
        if (e instanceof FileAlreadyExistsException) {
            return "something else is in the way: " + e.getMessage();
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
