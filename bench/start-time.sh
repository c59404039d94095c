#!/usr/bin/env bash
# Benchmark: start time of a direct request. `orch --version` and `orch status -I lab-0002` run
# alternately RUNS times each (after one warm-up run of each, which writes the launcher's class-data
# archives), against a lab of 50 nodes on its own broker; prints every wall time and the medians.
#   bench/start-time.sh [RUNS]       (default 10; ORCH_CLI as in lab-1000.sh)
# AGENT=1: status goes through `orch agent`, started here and warmed by 5 unrecorded runs; --version, which
# the agent does not serve, runs as always.
set -euo pipefail
runs="${1:-10}"
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
read -r -a cli <<<"${ORCH_CLI:-$here/orch}"
export XDG_STATE_HOME="$work/state"
"$here/orch" lab --nodes 50 "${lab_flags[@]}" --broker "$url" >"$work/lab.log" 2>&1 & lab_pid=$!
until grep -q "^lab: .* up in" "$work/lab.log" 2>/dev/null; do sleep 0.5; done
grep "^lab: .* up in" "$work/lab.log" | cut -c1-80

if [ "${AGENT:-0}" = 1 ]; then
  export XDG_RUNTIME_DIR="$work/run"
  mkdir -m 700 "$XDG_RUNTIME_DIR"
  "$here/orch" agent start --idle-timeout 1h
  trap '"$here/orch" agent stop >/dev/null 2>&1 || true; cleanup' EXIT
fi

wall() {   # prints the wall milliseconds of one run of orch with these arguments
  /usr/bin/time -f "%e %U %S" -o "$work/time" "${cli[@]}" "$@" >"$work/out" 2>&1 || true
  tail -1 "$work/time" | awk '{printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000}'
}
wall --version >/dev/null; wall status -I lab-0002 --broker "$url" >/dev/null   # the archives
wall --version >/dev/null; wall status -I lab-0002 --broker "$url" >/dev/null   # adopted
if [ "${AGENT:-0}" = 1 ]; then
  for _ in 1 2 3 4 5; do wall status -I lab-0002 --broker "$url" >/dev/null; done
fi
v=(); s=(); vc=(); sc=()
for _ in $(seq "$runs"); do
  read -r w c < <(wall --version); v+=("$w"); vc+=("$c")
  read -r w c < <(wall status -I lab-0002 --broker "$url"); s+=("$w"); sc+=("$c")
done
grep -q "lab-0002  ok" "$work/out" || { echo "status -I lab-0002 did not answer:"; cat "$work/out"; exit 1; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "--version wall ms:         ${v[*]}"
echo "status -I lab-0002 wall ms: ${s[*]}"
mv=$(median "${v[@]}"); ms=$(median "${s[@]}")
echo "median wall: --version $mv ms, status -I lab-0002 $ms ms, ratio $(awk "BEGIN {printf \"%.2f\", $ms / $mv}")"
echo "median CPU (user+sys): --version $(median "${vc[@]}") ms, status -I lab-0002 $(median "${sc[@]}") ms"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
