/** {@code orch-responder}, the daemon a node runs: its command line, and nothing else. */
package io.orch.responder.main;
