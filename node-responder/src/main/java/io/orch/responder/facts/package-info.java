/**
 * What a node knows about itself: built-in facts read below an injected root, static facts
 * files and external fact executables (cached for a TTL, see {@link io.orch.responder.facts.FactsCache}),
 * and the volatile {@code reboot_pending*} facts that are recomputed for every request.
 * Filters see all of them through one {@link io.orch.protocol.filter.FactView} per request.
 */
package io.orch.responder.facts;
