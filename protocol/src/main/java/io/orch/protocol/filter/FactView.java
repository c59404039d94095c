package io.orch.protocol.filter;

/** What a filter reads: facts by dotted path. */
@FunctionalInterface
public interface FactView {

    /**
     * The value at a dotted path ({@code "os.family"} walks nested maps), or null when absent.
     * Values are {@code String}, {@code Number}, {@code Boolean}, {@code List<?>} or
     * {@code Map<String, ?>}.
     */
    Object lookup(String dottedPath);
}
