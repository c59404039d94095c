/**
 * Which nodes a run expects and leaves out: the known nodes, learned from their announcements on the
 * registry and kept in this host's record ({@link io.orch.cli.inventory.InventoryCache}), node list files
 * ({@code --nodes}, {@code --exclude-nodes}), and the local record of when each node was last heard from,
 * so a node that does not answer is reported with its last announcement and the last time anyone here saw it.
 */
package io.orch.cli.inventory;
