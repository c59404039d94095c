/**
 * Connects a {@link io.orch.responder.node.Responder} to the broker: subscriptions on the
 * collective's broadcast topic and the node's own topic, replies to the requester's reply
 * destination (sent synchronously, so "scheduled" is on the broker before any reboot), and
 * events on the events topic.
 */
package io.orch.responder.bus;
