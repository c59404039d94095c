/**
 * The raw-JMS fan-out baseline of {@code bench/fanout.sh}: bare consumers laid out on connections as the
 * lab lays out its nodes, and a bare client timing one broadcast to its last reply, so orch's own cost
 * over plain request/reply is measured on the same broker in the same run; and the soak of
 * {@code bench/soak.sh}, many real pings back to back from one client, counting lost replies and sampling memory.
 */
package io.orch.playground.bench;
