# Shared by the bench scripts: build if needed, and start `orch broker` on a free loopback port.
# SECURITY=on (default): a TLS-only broker with a throwaway CA made in $work, lab nodes and the CLI
# signing and verifying like a real site. SECURITY=off: plain TCP, nothing signed or verified.
# Sets here, url, work, lab_flags (for `orch lab`), and exports the CLI's identity; stops the broker
# and the lab (lab_pid) and removes $work on exit.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/orch" --version >/dev/null            # build if needed
# The launcher keeps one class-data archive per subcommand, written by its first run. A run with
# security off loads no TLS or crypto classes: its archive would leave a later secured run loading
# them all again. Each benchmark starts without archives, so its own first run writes them.
rm -f "$here"/playground/target/run/*/orch-*.jsa*
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
work=$(mktemp -d)
# The lab first, while its broker still takes the nodes' last "stopped" announcements: a node whose broker is
# gone waits for it on the way out (failover), and the lab with it.
cleanup() {
  kill "${lab_pid:-}" 2>/dev/null || true; wait "${lab_pid:-}" 2>/dev/null || true
  kill "${broker_pid:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"
}
trap cleanup EXIT
if [ "${SECURITY:-on}" = off ]; then
  url="tcp://127.0.0.1:$port"
  lab_flags=(--insecure)
  export ORCH_SECURITY=insecure
  "$here/orch" broker --insecure --port "$port" >"$work/broker.log" 2>&1 & broker_pid=$!
else
  url="ssl://127.0.0.1:$port"
  lab_flags=(--pki-dir "$work/pki")
  export ORCH_SECURITY=verified ORCH_SSL_DIR="$work/pki/ssl" ORCH_CERTNAME=lab-operator
  # No STOMP connector: its fixed default port may be taken, and no benchmark uses it.
  "$here/orch" broker --pki-dir "$work/pki" --port "$port" --stomp-port -1 >"$work/broker.log" 2>&1 & broker_pid=$!
fi
until grep -q "listening" "$work/broker.log" 2>/dev/null; do
  kill -0 "$broker_pid" 2>/dev/null || { echo "bench: the broker did not start:" >&2; cat "$work/broker.log" >&2; exit 1; }
  sleep 0.2
done
