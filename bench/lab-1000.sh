#!/usr/bin/env bash
# Benchmark: orch ping and orch reboot --noop against a lab of N nodes (default 1000).
# Starts its own broker and lab on a free loopback port, runs each command RUNS times, prints
# a Markdown table, and stops everything. Needs the built project (./orch builds it) and python3.
#   bench/lab-1000.sh [NODES] [RUNS]          (SECURITY=off: the same without TLS and signatures)
# ORCH_CLI names the CLI measured (default: ./orch); the operator's jar as installed:
#   ORCH_CLI="env ORCH_HOME=orchestrator-cli/target deploy/bin/orch" bench/lab-1000.sh
set -euo pipefail
nodes="${1:-1000}"
runs="${2:-5}"
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
read -r -a cli <<<"${ORCH_CLI:-$here/orch}"
"$here/orch" lab --nodes "$nodes" "${lab_flags[@]}" --broker "$url" >"$work/lab.log" 2>&1 & lab_pid=$!
until grep -q "^lab: .* up in" "$work/lab.log" 2>/dev/null; do sleep 0.5; done
grep "^lab: .* up in" "$work/lab.log" | cut -c1-120

measure() {   # name, then the orch arguments
  local name="$1"; shift
  for i in $(seq "$runs"); do
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "${cli[@]}" "$@" --broker "$url" --json >"$work/out.json" 2>"$work/err" || true
    python3 - "$name" "$work/out.json" "$work/time" <<'PY'
import json, sys
name, out, tf = sys.argv[1:4]
d = json.load(open(out))
wall, user, sys_, rss = open(tf).read().split()[-4:]
t = d["timings_ms"]
b = d.get("batches") or []
act_ms = b[0]["replied_ms"] - b[0]["started_ms"] if b else ""
print(f"| {name} | {len(d['nodes'])} | {float(wall):.2f} | {float(user)+float(sys_):.2f} | {int(rss)//1024} | "
      f"{t['discovery_last_reply']} | {t['discovery']} | {act_ms} | {d['exit_code']} |")
PY
  done
}

echo
echo "| command | nodes in result | CLI wall s | CLI CPU s | CLI max RSS MiB | publish → last discovery reply ms | discovery ms | action publish → last reply ms | exit |"
echo "|---|---|---|---|---|---|---|---|---|"
width=$(( ${#nodes} > 4 ? ${#nodes} : 4 ))
for i in $(seq "$nodes"); do printf "lab-%0${width}d\n" "$i"; done >"$work/nodes.txt"
measure "ping" ping
measure "reboot --noop -F reboot_pending=true" reboot --noop -F reboot_pending=true
measure "ping --nodes FILE" ping --nodes "$work/nodes.txt"
measure "reboot --noop -F reboot_pending=true --nodes FILE" reboot --noop -F reboot_pending=true --nodes "$work/nodes.txt"
