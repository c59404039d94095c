/**
 * Test support every module reuses through protocol's test-jar: the wire schemas as a checker, and a
 * broker plugin that checks every orch message passing through a test broker against them.
 */
package io.orch.protocol.schema;
