/**
 * Where messages go and how their bodies travel: destination names per collective, and
 * reading UTF-8 JSON out of whatever message type a client sent (JMS text, or the bytes a
 * STOMP client produces). Only the JMS API is used here, never a broker implementation.
 */
package io.orch.protocol.bus;
