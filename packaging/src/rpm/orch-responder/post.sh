#!/bin/sh
# %post: enabled on first install, never started here (it reboots machines: it starts once configured);
# an upgrade restarts it only if it was running.
# node_exporter's textfile folder (metrics.textfile), there before the service starts (its ReadWritePaths).
[ -d /var/lib/prometheus/node-exporter ] || install -d -m 0755 /var/lib/prometheus/node-exporter
if [ "$1" -eq 1 ]; then
  systemctl daemon-reload >/dev/null 2>&1 || :
  systemctl enable orch-responder.service >/dev/null 2>&1 || :
else
  systemctl daemon-reload >/dev/null 2>&1 || :
  systemctl try-restart orch-responder.service >/dev/null 2>&1 || :
fi
exit 0
