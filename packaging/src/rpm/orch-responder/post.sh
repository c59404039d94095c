#!/bin/sh
# %post: enabled on first install, never started here (it reboots machines: it starts once configured);
# an upgrade restarts it only if it was running.
if [ "$1" -eq 1 ]; then
  systemctl daemon-reload >/dev/null 2>&1 || :
  systemctl enable orch-responder.service >/dev/null 2>&1 || :
else
  systemctl daemon-reload >/dev/null 2>&1 || :
  systemctl try-restart orch-responder.service >/dev/null 2>&1 || :
fi
exit 0
