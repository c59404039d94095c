/**
 * Windows pending-reboot detection: one detector per reason (component-based servicing, Windows
 * Update, pending file renames, update exe volatile, computer rename, domain join, the CCM client,
 * DSC), reading HKEY_LOCAL_MACHINE through the small {@link io.orch.responder.pending.windows.Registry}
 * interface and asking PowerShell through a command runner, so the logic is tested anywhere with a
 * fake registry and canned output. Only {@link io.orch.responder.pending.windows.Registry#localMachine()}
 * touches JNA, and it refuses to run anywhere but Windows.
 */
package io.orch.responder.pending.windows;
