/**
 * A run against the fleet, from discovery through batches and waiting to the report, over a small
 * bus port ({@link io.orch.cli.run.Bus}); each node's progress is a pure state machine over typed
 * inputs, and the run model ({@link io.orch.cli.run.RunReport}, its rows and batches) lives here too.
 */
package io.orch.cli.run;
