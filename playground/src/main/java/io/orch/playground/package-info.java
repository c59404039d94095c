/**
 * A local playground for orch: an embedded broker, a lab fleet of simulated nodes and a
 * demo, wired to the real CLI and the real responder classes. Never installed on a node.
 */
package io.orch.playground;
