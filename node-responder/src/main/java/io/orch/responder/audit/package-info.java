/**
 * The node's own record of every request it was sent: one bounded, terminal-safe JSON line
 * each, with who asked, what, which filter, what the node finally did and why, written once the
 * endpoint knows how the message ended. Reboot and cancel decisions are kept in a file of their
 * own, so a flood of other requests cannot rotate them away; every line also goes to the system
 * log. Read it after the fact with {@code jq}.
 */
package io.orch.responder.audit;
