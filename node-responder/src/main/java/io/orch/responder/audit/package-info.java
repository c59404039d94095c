/**
 * The node's own record of every request it was sent: one JSON line each, with who asked,
 * what, which filter, what the node decided and why. Read it after the fact with {@code jq}.
 */
package io.orch.responder.audit;
