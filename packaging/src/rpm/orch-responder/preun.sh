#!/bin/sh
# %preun: on erase (not upgrade), stopped and disabled first.
if [ "$1" -eq 0 ]; then
  systemctl --no-reload disable --now orch-responder.service >/dev/null 2>&1 || :
fi
exit 0
