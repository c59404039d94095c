#!/usr/bin/env bash
# Benchmark: a rolling reboot of a lab of N nodes (default 1000, all pending) in batches of 10%,
# each batch waiting for its nodes to come back (--wait). Measures the orchestration overhead
# between batches (last `rebooted` of a batch to the first request of the next) and the CLI's CPU.
# Starts its own broker and lab on a free loopback port and stops them. Needs python3.
#   bench/rolling-1000.sh [NODES] [RUNS] [BATCH]
set -euo pipefail
nodes="${1:-1000}"
runs="${2:-1}"
batch="${3:-10%}"
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
for run in $(seq "$runs"); do
  # A fresh lab per run: every node pending, reboots start at once (--delay 0), 3 s down.
  "$here/orch" lab --nodes "$nodes" --pending 100% --seed "$run" "${lab_flags[@]}" --broker "$url" \
      --state-dir "$work/lab-$run" >"$work/lab.log" 2>&1 & lab_pid=$!
  until grep -q "^lab: .* up in" "$work/lab.log" 2>/dev/null; do sleep 0.5; done
  grep "^lab: .* up in" "$work/lab.log" | cut -c1-120
  export XDG_STATE_HOME="$work/state"
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$here/orch" reboot -F reboot_pending=true --batch "$batch" \
      --wait --delay 0 --wait-timeout 5m --broker "$url" --json >"$work/out.json" 2>"$work/err" || true
  python3 - "$work/out.json" "$work/time" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
wall, user, sys_, rss = open(sys.argv[2]).read().split()
batches = d["batches"]
print(f"\nrun: {len(batches)} batches, {d['summary_line']}, exit {d['exit_code']}")
print(f"CLI: wall {float(wall):.1f} s, CPU {float(user)+float(sys_):.2f} s (user {user}, sys {sys_}), max RSS {int(rss)//1024} MiB")
print(f"discovery {d['timings_ms']['discovery']} ms, total {d['timings_ms']['total']} ms\n")
print("| batch | nodes | request → last reply ms | request → last back ms | last back of previous → this request ms |")
print("|---|---|---|---|---|")
gaps = []
for b in batches:
    gap = b["since_previous_back_ms"]
    if gap is not None:
        gaps.append(gap)
    back = b["last_back_ms"] - b["started_ms"] if b["last_back_ms"] is not None else ""
    print(f"| {b['number']} | {len(b['nodes'])} | {b['replied_ms'] - b['started_ms']} | {back} | {'' if gap is None else gap} |")
if gaps:
    gaps.sort()
    print(f"\noverhead between batches: min {gaps[0]} ms, median {gaps[len(gaps)//2]} ms, max {gaps[-1]} ms")
PY
  kill "$lab_pid" 2>/dev/null || true; wait "$lab_pid" 2>/dev/null || true
done
