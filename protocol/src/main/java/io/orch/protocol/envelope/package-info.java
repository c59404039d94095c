/**
 * The messages orch puts on the bus: requests (inside the secure wrapper), replies and
 * events, each a JSON text with its own {@code protocol} version string. {@link
 * io.orch.protocol.envelope.Codec} is the only way in or out, so every message is checked
 * for size, version and field types in one place before anything acts on it.
 */
package io.orch.protocol.envelope;
