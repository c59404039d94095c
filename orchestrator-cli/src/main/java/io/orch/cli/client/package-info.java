/**
 * The CLI's side of the conversation with the fleet: connect (bounded, never a hang),
 * broadcast a discovery and collect answers until the known nodes have replied or the
 * replies stop, then send an action to exactly the matched nodes and wait for exactly them.
 */
package io.orch.cli.client;
