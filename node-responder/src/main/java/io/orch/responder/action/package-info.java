/**
 * The actions a node answers, one class each ({@code ping}, {@code discover}, {@code status},
 * {@code reboot}, {@code cancel}) behind the small {@link io.orch.responder.action.ActionHandler}
 * interface. Each reads and checks its own params and builds its own reply data; the
 * wiring registers them by action, and each is handed exactly what it needs.
 */
package io.orch.responder.action;
