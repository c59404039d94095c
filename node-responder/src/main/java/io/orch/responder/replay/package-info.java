/**
 * The node's replay memory: the request ids it has seen, kept in its state folder until each
 * expires, so that a captured request is refused after a restart or a reboot too.
 */
package io.orch.responder.replay;
