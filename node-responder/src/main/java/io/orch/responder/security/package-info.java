/**
 * A node's side of trust, put together: its key material signs what it sends, the site's CA decides
 * whom it believes, and its policy decides what a believed caller may do. The checks themselves run
 * in the request gate; this package only holds what they need.
 */
package io.orch.responder.security;
