package io.orch.responder.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The two calls through which a full or failing disk shows itself (write and fsync). Tests run as
 * root, whom permissions never stop, so a test hands in a disk that fails like a full one
 * ({@code No space left on device}); everything above this edge is the real code.
 */
public interface Disk {
    /** The machine's own disk. */
    Disk REAL = new Disk() {
        @Override
        public void write(Path file, FileChannel out, ByteBuffer bytes) throws IOException {
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
        }

        @Override
        public void force(Path file, FileChannel out) throws IOException {
            out.force(true);
        }
    };

    /** Writes all of {@code bytes} to {@code out}, an open channel of {@code file}. */
    void write(Path file, FileChannel out, ByteBuffer bytes) throws IOException;

    /** Makes what was written to {@code file} (or the folder itself) durable: fsync. */
    void force(Path file, FileChannel out) throws IOException;
}
