package io.orch.cli.agent;

import io.orch.cli.inventory.LastSeen;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;
import java.util.Set;

/**
 * Where a user's agent listens, and who may talk to whom. The socket lives in a folder that is the user's
 * alone ({@code $XDG_RUNTIME_DIR/orch}, else {@code agent/} in the CLI's state folder), and each end asks the
 * kernel who is at the other ({@code SO_PEERCRED}): another user who could run a command through the agent
 * could run it with this user's key, and an agent of another user would be handed this user's environment.
 */
public final class AgentSocket {
    /** Names another socket, for a second agent or a test; the folder rules are the same. */
    public static final String SOCKET_ENV = "ORCH_AGENT_SOCKET";
    /** {@code off}: the CLI never hands a command to an agent. */
    public static final String AGENT_ENV = "ORCH_AGENT";

    private AgentSocket() {
    }

    /**
     * The socket of this user's agent: {@code $ORCH_AGENT_SOCKET} (absolute), {@code $XDG_RUNTIME_DIR/orch/agent.sock},
     * else {@code agent/agent.sock} in the state folder.
     */
    public static Path path(Map<String, String> env) {
        String named = env.get(SOCKET_ENV);
        if (named != null && !named.isBlank() && Path.of(named).isAbsolute()) {
            return Path.of(named);
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank() && Path.of(runtime).isAbsolute()) {
            return Path.of(runtime, "orch", "agent.sock");
        }
        return LastSeen.defaultStateDir(env).resolve("agent").resolve("agent.sock");
    }

    /** Where {@code orch agent start} keeps the agent's log: beside its socket, in the private folder. */
    public static Path log(Map<String, String> env) {
        return path(env).resolveSibling("agent.log");
    }

    /** Makes the socket's folder (mode 0700) when missing. @throws IOException when it is not this user's alone */
    public static void prepareFolder(Path socket) throws IOException {
        Path folder = socket.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(folder.getParent());
            try {
                Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // made by another start in the meantime: checked below like any other
            }
        }
        String unsafe = unsafeFolder(folder);
        if (unsafe != null) {
            throw new IOException(unsafe);
        }
    }

    /** Null when {@code folder} is a real folder of this user with no access for others, else what is wrong. */
    static String unsafeFolder(Path folder) {
        try {
            PosixFileAttributes attributes = Files.readAttributes(folder, PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isDirectory()) {
                return folder + " is not a folder";
            }
            if (!attributes.owner().equals(self())) {
                return folder + " belongs to " + attributes.owner().getName() + ", not to you";
            }
            Set<PosixFilePermission> open = attributes.permissions();
            open.retainAll(Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                    PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
                    PosixFilePermission.OTHERS_EXECUTE));
            if (!open.isEmpty()) {
                return folder + " is open to other users (" + PosixFilePermissions.toString(attributes.permissions())
                        + "); make it yours alone: chmod 700 " + folder;
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return "cannot check " + folder + ": " + e.getMessage();
        }
    }

    /** Null when the peer of {@code channel} runs as {@code self}, else who it is. */
    static String foreignPeer(SocketChannel channel, UserPrincipal self) {
        try {
            jdk.net.UnixDomainPrincipal peer = channel.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED);
            return peer.user().equals(self) ? null : "user " + peer.user().getName();
        } catch (IOException | RuntimeException e) {
            // No credentials to check: nobody is believed.
            return "a peer whose user cannot be told (" + e.getMessage() + ")";
        }
    }

    /**
     * The user this process runs as. Linux: the owner of {@code /proc/self}, which is the process's own uid
     * whatever {@code user.name} says and whether or not the uid has a passwd entry; elsewhere by name.
     */
    static UserPrincipal self() throws IOException {
        Path proc = Path.of("/proc/self");
        if (Files.isDirectory(proc)) {
            return Files.getOwner(proc);
        }
        return FileSystems.getDefault().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
    }
}
