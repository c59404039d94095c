/**
 * The filter language that picks which nodes act on a request: {@code -F fact OP value},
 * {@code -I identity} and {@code -S} compound expressions are parsed once into immutable
 * {@link io.orch.protocol.filter.Filter} trees and evaluated by each node against its own
 * facts. Every regex runs on RE2/J, so no filter can hang a node; and a request's filter as a whole
 * is held to a budget (comparisons, identities, regexes, their size and nesting, see
 * {@link io.orch.protocol.Limits}) checked before anything is compiled, so none can exhaust a node's
 * stack or heap either.
 */
package io.orch.protocol.filter;
