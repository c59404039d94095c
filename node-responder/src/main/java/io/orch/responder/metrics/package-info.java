/**
 * What a node tells its monitoring: a Prometheus text-format file for node_exporter's textfile collector
 * (and, when asked for, the same text over HTTP). Whether a reboot is pending and why, since when, the last
 * reboot orch made, the loop guard, the last request and the facts that failed. The state is read from the
 * same facts, detectors and journal that answer {@code status}, on the node's own schedule, so a scrape never
 * runs a detector and a broker outage leaves the file current.
 */
package io.orch.responder.metrics;
