/**
 * The Windows reboot: {@code InitiateSystemShutdownEx} with the shutdown privilege enabled, a
 * planned operating-system-upgrade reason, the requested delay and message, cancellable during the
 * delay with {@code AbortSystemShutdown}. The Win32 calls sit behind a tiny interface, so the
 * executor's arguments and error messages are tested anywhere with a fake; the JNA implementation
 * is compiled everywhere and refuses to load anywhere but Windows.
 */
package io.orch.responder.executor.windows;
