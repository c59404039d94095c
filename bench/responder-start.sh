#!/usr/bin/env bash
# Benchmark: orch-responder idle RSS and time from process start to subscribed, with the JVM
# flags deploy/systemd/orch-responder.service ships. Uses its own broker on a free loopback
# port and a fixture root (the log-only executor: nothing can reboot).
#   bench/responder-start.sh [RUNS]
#   CDS=on bench/responder-start.sh [RUNS]   with a class-data archive made by one unmeasured run first
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-5}"
"$here/orch" --version >/dev/null            # builds everything, the responder jar included
jar="$here/node-responder/target/orch-responder.jar"
flags=$(sed -n 's/^ExecStart=[^ ]*java \(.*\) \\$/\1/p' "$here/deploy/systemd/orch-responder.service")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
work=$(mktemp -d)
cleanup() { kill "${broker_pid:-}" 2>/dev/null || true; pkill -f "$work/responder.yaml" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
# A TLS broker with a throwaway CA, and the node's certificate from the same CA, as a site runs it.
"$here/orch" broker --pki-dir "$work/pki" --port "$port" >"$work/broker.log" 2>&1 & broker_pid=$!
until grep -q "listening" "$work/broker.log" 2>/dev/null; do sleep 0.2; done

mkdir -p "$work/root/proc/sys/kernel/random" "$work/root/etc"
echo bench01 >"$work/root/proc/sys/kernel/hostname"
echo 6.1.0-26-amd64 >"$work/root/proc/sys/kernel/osrelease"
cat /proc/sys/kernel/random/uuid >"$work/root/proc/sys/kernel/random/boot_id"
echo "1234.5 0" >"$work/root/proc/uptime"
printf 'ID=debian\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\n' >"$work/root/etc/os-release"
"$here/orch" pki issue bench01 --dir "$work/pki" --out "$work/ssl" --days 20 >/dev/null
printf 'identity: bench01\nbroker: ssl://127.0.0.1:%s\nfacts:\n  root: %s\nreboot:\n  state_dir: %s/state\nsecurity:\n  ssl_dir: %s/ssl\npolicy_file: %s/pki/policy.yaml\n' \
  "$port" "$work/root" "$work" "$work" "$work" >"$work/responder.yaml"

gone() {   # a responder that exits before it serves ends the benchmark, with its log
  kill -0 "$1" 2>/dev/null && return 0
  echo "orch-responder exited before serving:" >&2; tail -20 "$work/r.log" >&2; exit 1
}
if [ "${CDS:-off}" = on ]; then
  # shellcheck disable=SC2086
  java $flags -XX:ArchiveClassesAtExit="$work/responder.jsa" -jar "$jar" --config "$work/responder.yaml" >"$work/r.log" 2>&1 & pid=$!
  until grep -q "serving collective" "$work/r.log" 2>/dev/null; do gone "$pid"; sleep 0.1; done
  sleep 2; kill "$pid"; wait "$pid" 2>/dev/null || true
  flags="$flags -XX:SharedArchiveFile=$work/responder.jsa"
fi
echo "JVM flags: $flags"
echo "| run | start → subscribed ms | RSS idle after 10 s MiB | threads |"
echo "|---|---|---|---|"
for i in $(seq "$runs"); do
  start=$(date +%s%N)
  # shellcheck disable=SC2086
  java $flags -jar "$jar" --config "$work/responder.yaml" >"$work/r.log" 2>&1 & pid=$!
  until grep -q "serving collective" "$work/r.log" 2>/dev/null; do gone "$pid"; sleep 0.01; done
  up=$(( ($(date +%s%N) - start) / 1000000 ))
  sleep 10
  rss=$(( $(ps -o rss= -p "$pid") / 1024 ))
  threads=$(ps -o nlwp= -p "$pid" | tr -d ' ')
  echo "| $i | $up | $rss | $threads |"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
