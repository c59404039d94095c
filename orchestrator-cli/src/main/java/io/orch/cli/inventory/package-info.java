/**
 * Which nodes a run expects and leaves out: node list files ({@code --nodes},
 * {@code --exclude-nodes}) and the local record of when each node was last heard from, so a node
 * that does not answer is reported with the last time anyone here saw it.
 */
package io.orch.cli.inventory;
