/**
 * The one place a reboot leaves the JVM. The default executor only logs what it would run;
 * the command executor runs a real command and is chosen only by an explicit setting in the
 * node's config file. Tests and the lab pass in their own executor.
 */
package io.orch.responder.executor;
