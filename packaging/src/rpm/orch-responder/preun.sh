#!/bin/sh
# %preun: on erase (not upgrade), stopped and disabled first.
if [ "$1" -eq 0 ]; then
  systemctl --no-reload disable --now orch-responder.service >/dev/null 2>&1 || :
  # Its metrics would otherwise say "pending" for a node that no longer runs orch, for ever.
  rm -f /var/lib/prometheus/node-exporter/orch.prom
fi
exit 0
