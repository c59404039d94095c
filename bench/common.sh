# Shared by the bench scripts: build if needed, and start `orch broker` on a free loopback port.
# Sets here, url, work; stops the broker and the lab (lab_pid) and removes $work on exit.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/orch" --version >/dev/null            # build if needed
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="tcp://127.0.0.1:$port"
work=$(mktemp -d)
cleanup() { kill "${lab_pid:-}" "${broker_pid:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
"$here/orch" broker --port "$port" >"$work/broker.log" 2>&1 & broker_pid=$!
until grep -q "listening" "$work/broker.log" 2>/dev/null; do sleep 0.2; done
