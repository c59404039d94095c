/**
 * A promised reboot from the reply to the next boot: journal it, wait for configuration-
 * management runs to finish, announce it, hand it to the executor, allow it to be cancelled
 * in its delay, and after boot report what happened. The loop guard lives here too.
 */
package io.orch.responder.reboot;
