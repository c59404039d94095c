/**
 * The run's {@link io.orch.cli.run.Bus} over JMS: connect (bounded, never a hang), send a discovery
 * by broadcast or to each named node and collect answers until the known nodes have replied or the
 * replies stop, send an action to exactly the chosen nodes and wait for exactly them, and follow the
 * collective's events. A stop (Ctrl-C) ends every wait with what it has.
 */
package io.orch.cli.client;
