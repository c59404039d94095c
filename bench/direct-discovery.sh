#!/usr/bin/env bash
# Benchmark: named nodes asked one by one on their own topics against the same list broadcast.
# A lab of NODES; for each list size, `orch ping --nodes FILE` (one by one, up to MAX_DIRECT_DISCOVERY)
# and `orch ping --nodes FILE -I '/^lab-/'` (a regex: broadcast, still waiting for exactly the list),
# RUNS times each; prints publish -> last reply (timings_ms.discovery_last_reply) and wall.
#   bench/direct-discovery.sh [NODES] [RUNS] [LIST SIZES...]     (default: 500 3 50 100 200 500)
set -euo pipefail
nodes="${1:-500}"; runs="${2:-3}"
sizes=("${@:3}"); [ ${#sizes[@]} -gt 0 ] || sizes=(50 100 200 500)
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
read -r -a cli <<<"${ORCH_CLI:-$here/orch}"
export XDG_STATE_HOME="$work/state"
"$here/orch" lab --nodes "$nodes" "${lab_flags[@]}" --broker "$url" >"$work/lab.log" 2>&1 & lab_pid=$!
until grep -q "^lab: .* up in" "$work/lab.log" 2>/dev/null; do sleep 0.5; done
grep "^lab: .* up in" "$work/lab.log" | cut -c1-80
echo "| listed | asked | publish → last reply ms | wall s | exit |"
echo "|---|---|---|---|---|"
for n in "${sizes[@]}"; do
  seq -f 'lab-%04g' 1 "$n" >"$work/nodes.txt"
  for _ in $(seq "$runs"); do
    for how in "one by one" broadcast; do
      extra=(); [ "$how" = broadcast ] && extra=(-I '/^lab-/')
      /usr/bin/time -f "%e" -o "$work/time" "${cli[@]}" ping --nodes "$work/nodes.txt" "${extra[@]}" --broker "$url" \
        --json >"$work/out.json" 2>"$work/err" && rc=0 || rc=$?
      python3 - "$n" "$how" "$rc" "$work/out.json" "$work/time" <<'PY'
import json, sys
n, how, rc, out, tf = sys.argv[1:6]
d = json.load(open(out))
print(f"| {n} | {how} | {d['timings_ms']['discovery_last_reply']} | {float(open(tf).read().split()[-1]):.2f} | {rc} |")
PY
    done
  done
done
