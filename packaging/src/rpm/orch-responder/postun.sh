#!/bin/sh
# %postun: systemd forgets the unit once it is gone. The config (%config, edited copies saved as .rpmsave)
# and the state in /var/lib/orch stay.
systemctl daemon-reload >/dev/null 2>&1 || :
exit 0
