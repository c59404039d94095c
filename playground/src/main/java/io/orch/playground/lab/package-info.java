/**
 * The lab: many real responders in one JVM, each reading its own fixture tree as its "/" and
 * rebooting through a simulated executor that drops it off the bus, gives it a new boot id
 * and brings it back. Nodes share a few broker connections so a thousand fit on two cores.
 */
package io.orch.playground.lab;
