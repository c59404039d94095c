/**
 * An ActiveMQ Classic broker in this JVM, on loopback, for the playground and tests: plain TCP, or TLS only
 * with certificate logins and per-role authorisation ({@link io.orch.playground.broker.BrokerAccess}).
 */
package io.orch.playground.broker;
