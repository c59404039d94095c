/**
 * The transient {@code reboot} resource a reboot request becomes on a node: {@code when =>
 * pending} by default, parameters checked before anything happens, and an outcome that goes
 * back to the requester as {@code data.resource}.
 */
package io.orch.responder.resource;
