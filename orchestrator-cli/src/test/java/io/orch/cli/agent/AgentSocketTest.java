package io.orch.cli.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.orch.protocol.Limits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may use an agent's socket, where it is, and what its wire accepts. */
class AgentSocketTest {
    @TempDir
    Path dir;

    @Test
    void thePeerIsBelievedOnlyWhenTheKernelSaysItIsTheAgentsOwnUser() throws Exception {
        Path socket = dir.resolve("s.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                 SocketChannel accepted = server.accept()) {
                UserPrincipal me = AgentSocket.self();
                assertNull(AgentSocket.foreignPeer(accepted, me));
                UserPrincipal nobody = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
                String refused = AgentSocket.foreignPeer(accepted, nobody);
                assertEquals("user " + me.getName(), refused, "an agent of user nobody would refuse us");
                assertNotNull(client);
            }
        }
    }

    @Test
    void theSocketIsTheNamedOneElseInTheRuntimeFolderElseInTheStateFolder() {
        assertEquals(Path.of("/x/a.sock"), AgentSocket.path(Map.of(AgentSocket.SOCKET_ENV, "/x/a.sock")));
        assertEquals(Path.of("/run/user/1000/orch/agent.sock"), AgentSocket.path(Map.of("XDG_RUNTIME_DIR", "/run/user/1000")));
        assertEquals(Path.of("/st/orch/agent/agent.sock"), AgentSocket.path(Map.of("XDG_RUNTIME_DIR", "relative", "XDG_STATE_HOME", "/st")));
    }

    @Test
    void aFolderIsPreparedPrivateAndAnOpenOneIsRefused() throws Exception {
        Path socket = dir.resolve("a").resolve("orch").resolve("agent.sock");
        AgentSocket.prepareFolder(socket);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
        Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwx-----x"));
        IOException open = assertThrows(IOException.class, () -> AgentSocket.prepareFolder(socket));
        assertTrue(open.getMessage().contains("open to other users"), open.getMessage());
        Path link = dir.resolve("link");
        Files.createSymbolicLink(link, socket.getParent());
        assertTrue(AgentSocket.unsafeFolder(link).contains("not a folder"), "a link is not followed");
    }

    @Test
    void aRequestCrossesTheWireWhole() throws Exception {
        AgentWire.Request request = new AgentWire.Request("b", "/w", "UTF-8", true, false, List.of("status", "-I", "ü"),
                Map.of("ORCH_BROKER", "ssl://127.0.0.1:1"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        request.write(new DataOutputStream(bytes));
        assertEquals(bytes.size(), request.size());
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
        assertEquals(AgentWire.RUN, AgentWire.readHeader(in));
        assertEquals(request, AgentWire.Request.read(in));
    }

    @Test
    void aRequestLargerThanTheLimitIsRefusedBeforeItIsRead() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        AgentWire.writeText(out, "b");
        AgentWire.writeText(out, "/w");
        AgentWire.writeText(out, "UTF-8");
        out.writeBoolean(false);
        out.writeBoolean(false);
        out.writeInt(1);
        out.writeInt(Limits.AGENT_MAX_REQUEST_BYTES); // one argument as long as the whole budget
        IOException refused = assertThrows(IOException.class,
                () -> AgentWire.Request.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
        assertTrue(refused.getMessage().contains("larger than"), refused.getMessage());
    }
}
