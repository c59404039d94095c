/**
 * The node's presence in the registry: {@link io.orch.responder.registry.Announcer} publishes this node's
 * signed announcements on its registry topic (at start, periodically, after a reconnect, as it stops), on
 * a timer thread of its own so that signing never holds up a request.
 */
package io.orch.responder.registry;
