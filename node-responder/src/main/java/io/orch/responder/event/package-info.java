/**
 * What a node tells everyone, unasked, on the events topic: {@link io.orch.responder.event.NodeEvents}
 * builds each event (started, rebooting, rebooted, reboot_failed, reboot_interrupted, cancelled) and
 * spells its data in one place; an {@link io.orch.responder.event.EventSink} takes it away.
 */
package io.orch.responder.event;
