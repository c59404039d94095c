/**
 * The node side of orch: a {@link io.orch.responder.Responder} turns one request body into one
 * reply (and, for a reboot, a promise it keeps after the reply is out). It knows nothing of
 * JMS; {@link io.orch.responder.bus} connects it to the broker and {@link
 * io.orch.responder.config} wires it from a node's config file.
 */
package io.orch.responder;
