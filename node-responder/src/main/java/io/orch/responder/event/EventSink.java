package io.orch.responder.event;

import io.orch.protocol.envelope.Event;

/** Where a responder's lifecycle events go: the events topic on a node, a list in tests. */
@FunctionalInterface
public interface EventSink {
    void publish(Event event);
}
