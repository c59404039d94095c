/**
 * Sending an action to the matched nodes, all at once or batch by batch: publish, collect exactly
 * the batch's replies, wait (with {@code --wait}) until each scheduled node is back with a new
 * boot id, and decide before every batch whether the run may go on.
 */
package io.orch.cli.rollout;
