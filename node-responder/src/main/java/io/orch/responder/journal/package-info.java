/**
 * What a node must remember across its own reboot: the reboot it promised (so that after boot
 * it can report {@code rebooted}, or {@code reboot_interrupted} when the boot id did not change)
 * and the last reboot orch made (for the loop guard). Written atomically and fsynced.
 */
package io.orch.responder.journal;
