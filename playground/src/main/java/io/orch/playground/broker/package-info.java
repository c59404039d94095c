/** An ActiveMQ Classic broker in this JVM, on loopback, for the playground and tests. */
package io.orch.playground.broker;
