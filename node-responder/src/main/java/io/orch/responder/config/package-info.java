/**
 * A node's configuration file and the one place that turns it into a running responder:
 * which detectors, which facts, which reboot executor. Nothing else chooses implementations.
 */
package io.orch.responder.config;
