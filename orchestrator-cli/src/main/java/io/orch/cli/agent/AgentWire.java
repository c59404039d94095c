package io.orch.cli.agent;

import io.orch.protocol.Limits;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the CLI and its agent say over the socket: binary frames of the JDK's {@code DataInput}, never Java
 * serialization, every length checked against {@link Limits#AGENT_MAX_REQUEST_BYTES} before it is read.
 *
 * <p>The CLI opens with {@link #MAGIC}, {@link #VERSION} and one kind byte: {@link #RUN} (a {@link Request}),
 * {@link #STOP} or {@link #STATUS}. The agent answers a run with {@link #ACCEPTED} or {@link #RUN_YOURSELF}
 * (and a reason), then {@link #STDOUT} and {@link #STDERR} chunks, a {@link #HEARTBEAT} every
 * {@link Limits#AGENT_HEARTBEAT_MS}, and one {@link #EXIT}. While it runs, the CLI
 * may send {@link #INTERRUPT} (one per Ctrl-C).
 */
final class AgentWire {
    static final int MAGIC = 0x4f524348; // "ORCH"
    static final int VERSION = 1;

    static final byte RUN = 'C';
    static final byte STOP = 'S';
    static final byte STATUS = 'Q';

    static final byte ACCEPTED = 'A';
    static final byte RUN_YOURSELF = 'R';
    static final byte STDOUT = 'O';
    static final byte STDERR = 'E';
    static final byte EXIT = 'X';
    static final byte INTERRUPT = 'I';
    static final byte HEARTBEAT = 'H';

    private AgentWire() {
    }

    /**
     * One command as the CLI would have run it.
     *
     * @param build       which orch build the CLI is (an agent of another build does not serve it)
     * @param cwd         the CLI's working folder
     * @param charset     the encoding of the CLI's stdout
     * @param interactive stdin, stdout and stderr are a terminal (live progress line)
     * @param color       colors are on
     */
    record Request(String build, String cwd, String charset, boolean interactive, boolean color, List<String> args,
                   Map<String, String> env) {
        void write(DataOutputStream out) throws IOException {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeByte(RUN);
            writeText(out, build);
            writeText(out, cwd);
            writeText(out, charset);
            out.writeBoolean(interactive);
            out.writeBoolean(color);
            out.writeInt(args.size());
            for (String arg : args) {
                writeText(out, arg);
            }
            out.writeInt(env.size());
            for (Map.Entry<String, String> e : env.entrySet()) {
                writeText(out, e.getKey());
                writeText(out, e.getValue());
            }
        }

        /** Its size on the wire, to decide before connecting whether it may be sent at all. */
        int size() {
            int size = 4 + 4 + 1 + 2 + 4 + 4 + textSize(build) + textSize(cwd) + textSize(charset);
            for (String arg : args) {
                size += textSize(arg);
            }
            for (Map.Entry<String, String> e : env.entrySet()) {
                size += textSize(e.getKey()) + textSize(e.getValue());
            }
            return size;
        }

        /** Reads the rest of a request whose header and kind were read. */
        static Request read(DataInputStream in) throws IOException {
            Budget budget = new Budget(Limits.AGENT_MAX_REQUEST_BYTES);
            String build = readText(in, budget);
            String cwd = readText(in, budget);
            String charset = readText(in, budget);
            boolean interactive = in.readBoolean();
            boolean color = in.readBoolean();
            int argc = count(in, budget);
            List<String> args = new ArrayList<>(argc);
            for (int i = 0; i < argc; i++) {
                args.add(readText(in, budget));
            }
            int envc = count(in, budget);
            Map<String, String> env = new LinkedHashMap<>();
            for (int i = 0; i < envc; i++) {
                env.put(readText(in, budget), readText(in, budget));
            }
            return new Request(build, cwd, charset, interactive, color, List.copyOf(args), env);
        }
    }

    /** Reads the opening and returns the kind, or throws when the peer is not an orch CLI of this protocol. */
    static byte readHeader(DataInputStream in) throws IOException {
        int magic = in.readInt();
        int version = in.readInt();
        if (magic != MAGIC) {
            throw new IOException("not an orch client");
        }
        if (version != VERSION) {
            throw new IOException("agent protocol " + version + ", this agent speaks " + VERSION);
        }
        return in.readByte();
    }

    /**
     * The channel's bytes as a stream. Not {@code Channels.newInputStream}: its streams lock the channel's
     * blocking lock for each read and write, so a write (a Ctrl-C, an output chunk) would wait for a read
     * blocked on the other end. The channel itself reads and writes under separate locks.
     */
    static InputStream input(SocketChannel channel) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                if (length == 0) {
                    return 0;
                }
                int n;
                do {
                    n = channel.read(ByteBuffer.wrap(bytes, offset, length));
                } while (n == 0);
                return n;
            }
        };
    }

    /** The channel as an output stream; see {@link #input}. */
    static OutputStream output(SocketChannel channel) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        };
    }

    static void writeHeader(DataOutputStream out, byte kind) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeByte(kind);
    }

    static void writeText(DataOutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /** A text of at most {@link Limits#AGENT_MAX_REQUEST_BYTES}, for the frames that are not a request. */
    static String readText(DataInputStream in) throws IOException {
        return readText(in, new Budget(Limits.AGENT_MAX_REQUEST_BYTES));
    }

    static byte[] readChunk(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > Limits.AGENT_CHUNK_BYTES) {
            throw new IOException("a chunk of " + length + " bytes");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    private static int textSize(String text) {
        return 4 + text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String readText(DataInputStream in, Budget budget) throws IOException {
        int length = in.readInt();
        budget.take(4L + Math.max(length, 0));
        if (length < 0) {
            throw new IOException("a negative length");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int count(DataInputStream in, Budget budget) throws IOException {
        int n = in.readInt();
        // Each counted item takes at least 4 bytes: a count beyond the budget cannot be honest.
        budget.take(4);
        if (n < 0 || (long) n * 4 > budget.left) {
            throw new IOException("a count of " + n);
        }
        return n;
    }

    /** What is left of a request's bytes. */
    private static final class Budget {
        private long left;

        Budget(long left) {
            this.left = left;
        }

        void take(long bytes) throws IOException {
            left -= bytes;
            if (left < 0) {
                throw new EOFException("request larger than " + Limits.AGENT_MAX_REQUEST_BYTES + " bytes");
            }
        }
    }
}
