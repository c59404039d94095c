/**
 * The filter language that picks which nodes act on a request: {@code -F fact OP value},
 * {@code -I identity} and {@code -S} compound expressions are parsed once into immutable
 * {@link io.orch.protocol.filter.Filter} trees and evaluated by each node against its own
 * facts. Every regex runs on RE2/J, so no filter can hang a node.
 */
package io.orch.protocol.filter;
