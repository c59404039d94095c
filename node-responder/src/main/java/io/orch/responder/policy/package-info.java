/**
 * The node's policy: who may ask this node for what, on which facts, and when reboots may
 * happen. {@link io.orch.responder.policy.Policy} reads {@code /etc/orch/policy.yaml} and
 * decides one request at a time; {@link io.orch.responder.policy.PolicySource} is what the
 * responder holds: it reloads the file when it changes, falls back to the built-in defaults
 * when there is none and fails closed when it is invalid. Pure: no bus, no threads, the
 * clock is passed in. The file format is described in {@code docs/policy.md}.
 */
package io.orch.responder.policy;
