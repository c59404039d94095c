/**
 * The node's state folder (journal, replay memory, audit): checked for owner and mode at start,
 * and every file in it created owner-only without following symlinks.
 */
package io.orch.responder.state;
