/**
 * What travels inside the messages: one record per action's parameters, per action's reply
 * data and per event type's data, written and read only through {@link io.orch.protocol.envelope.Codec}.
 */
package io.orch.protocol.payload;
