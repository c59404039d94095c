/**
 * The node itself, free of JMS: {@link io.orch.responder.node.Responder} takes one request body
 * through the gate to the handler of its action and gives back one {@link
 * io.orch.responder.request.Outcome}; at start it says what became of a reboot promised before.
 * {@link io.orch.responder.bus} connects it to the broker and {@link io.orch.responder.config}
 * wires it from a node's config file.
 */
package io.orch.responder.node;
