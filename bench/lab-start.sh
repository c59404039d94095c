#!/usr/bin/env bash
# Benchmark: how long `orch lab --nodes N` takes to bring every node onto the bus, and what each node costs.
# Starts its own broker on a free loopback port (SECURITY=on by default, as a site runs), then RUNS labs in a
# row against it, each with a fresh state folder; the lab's PKI folder is kept between runs, so run 1 issues
# every node's key and later runs reuse them (as ~/.orch/lab does). Per run, one Markdown row:
# wall from exec to "up in" (all subscribed), the lab's and the broker's CPU until then, live heap after a full GC
# (jcmd GC.class_histogram) over N (it includes the lab's fixed ~14 MB: use a large N), RSS, threads, open files, files written. Needs jcmd and python3.
#   bench/lab-start.sh [NODES] [RUNS]
set -euo pipefail
nodes="${1:-10000}"
runs="${2:-3}"
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
tck=$(getconf CLK_TCK)
echo "| run | nodes | wall to all subscribed s | lab CPU s | broker CPU s | live heap KB/node | RSS MiB | threads | fds | files | dirs |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
cpu_of() { awk -v t="$tck" '{printf "%.1f", ($14+$15)/t}' "/proc/$1/stat"; }
for run in $(seq "$runs"); do
  state="$work/state-$run"
  rm -f "$work/lab.log"   # the last run's "up in" must not count for this one
  b0=$(cpu_of "$broker_pid")
  t0=$(date +%s%N)
  "$here/orch" lab --nodes "$nodes" "${lab_flags[@]}" --broker "$url" --state-dir "$state" >"$work/lab.log" 2>&1 & lab_pid=$!
  until grep -q "^lab: .* up in" "$work/lab.log" 2>/dev/null; do
    kill -0 "$lab_pid" 2>/dev/null || { echo "lab died:"; tail -20 "$work/lab.log"; exit 1; }
    sleep 0.1
  done
  t1=$(date +%s%N)
  cpu=$(cpu_of "$lab_pid")
  broker_cpu=$(awk -v a="$b0" -v b="$(cpu_of "$broker_pid")" 'BEGIN { printf "%.1f", b - a }')
  live=$(jcmd "$lab_pid" GC.class_histogram | awk '/^Total/ {print $3}')
  rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$lab_pid/status")
  threads=$(awk '/Threads/ {print $2}' "/proc/$lab_pid/status")
  fds=$(ls "/proc/$lab_pid/fd" | wc -l)
  files=$(find "$state" -type f | wc -l)
  dirs=$(find "$state" -type d | wc -l)
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
  echo "| $run | $nodes | $wall | $cpu | $broker_cpu | $(( live / nodes / 1024 )) | $rss | $threads | $fds | $files | $dirs |"
  kill "$lab_pid"; wait "$lab_pid" 2>/dev/null || true
  rm -rf "$state"
done
