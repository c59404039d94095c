/**
 * What every step of handling one request shares: how the message arrived ({@link
 * io.orch.responder.request.Delivery}), how the node's replies are made, the log they write to,
 * and what handling produced ({@link io.orch.responder.request.Outcome}: a reply, and what to do
 * only once the broker has it).
 */
package io.orch.responder.request;
