#!/usr/bin/env bash
# Benchmark: orch's fan-out against raw JMS, side by side on one broker in one run.
# For each N: `orch lab --nodes N` and N bare consumers (`orch bench-raw-nodes`, laid out on connections as
# the lab's nodes are, each echoing a fixed reply to JMSReplyTo), both started once; then ROUNDS rounds of
#   raw    `orch bench-raw-client`: one message on the raw topic, publish -> last reply
#   ping   `orch ping --json`: timings_ms.discovery_last_reply (the lab's nodes are known from their
#          announcements, so discovery waits for every one of them and no longer)
#   noop   `orch reboot --noop -F reboot_pending=true --json`: the same for its discovery broadcast
# interleaved, each a fresh JVM through ./orch (same launcher and JVM flags). Prints every round, then per N
# the medians (min-max) and orch's ratio to raw, how many nodes answered in each round, and the CPU each round
# cost the broker, the fleet that answered and the client (steadier than wall time on a shared machine).
#   bench/fanout.sh [ROUNDS] [N ...]        (default: 5 rounds; N = 100 1000 10000)
# SECURITY=off: plain TCP, nothing signed or verified. FANOUT_KEEP=FILE keeps the per-round TSV there.
# FLEET_JAVA_OPTS: the JVM options of the lab and the raw consumers (default: ./orch's for them, the full JIT).
# LAB_JAVA_OPTS / RAW_JAVA_OPTS / CLI_JAVA_OPTS: extra JVM options for the lab, the raw consumers and the CLI
# (e.g. -XX:StartFlightRecording=filename=lab.jfr to profile).
# RAW_SIGNED=1: a second set of raw consumers signs each reply (Ed25519, as a node signs its own) and a third
# kind of round, "signed", times a raw client that checks every signature before it counts a reply (on as many
# threads as orch's CLI): the floor of any fan-out whose answers are signed and checked, beside plain raw JMS.
# AGENT=1: ping and noop go through `orch agent` (started here, warmed by 3 unrecorded rounds of each; the
# client's CPU then includes the agent's), and after the rounds a raw client that stays in one JVM
# (`bench-raw-client --rounds`) gives a warm baseline beside the fresh one.
set -euo pipefail
rounds="${1:-5}"
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 1000 10000)
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
export HOME="$work/home"     # the CLI's last-seen file and anything else under ~ stay in the run's folder
mkdir -p "$HOME"
# ./orch's own defaults: the CLI (orch ping, the raw client) with the client compiler only, the long-running
# lab and raw consumers with the full JIT (ORCH_JAVA_OPTS, if set, is the broker's, as ./orch takes it).
launcher_opts="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k"
fleet_opts="${FLEET_JAVA_OPTS:--XX:+UseSerialGC -Xss512k}"
raw_flags=("${lab_flags[@]}")
stop_fleets() {
  kill "${lab_pid:-}" "${raw_pid:-}" "${signed_pid:-}" 2>/dev/null || true
  wait "${lab_pid:-}" "${raw_pid:-}" "${signed_pid:-}" 2>/dev/null || true
  lab_pid="" raw_pid="" signed_pid=""
}
agent_pid=""
stop_agent() { [ -z "$agent_pid" ] || "$here/orch" agent stop >/dev/null 2>&1 || true; }
trap 'stop_agent; stop_fleets; cleanup' EXIT
if [ "${AGENT:-0}" = 1 ]; then
  export XDG_RUNTIME_DIR="$work/run"
  mkdir -m 700 "$XDG_RUNTIME_DIR"
  "$here/orch" agent start --idle-timeout 4h >&2
  agent_pid=$("$here/orch" agent status | awk '$1 == "pid" { print $2 }')
fi
results="$work/rounds.tsv"
: >"$results"

cpu_ms() { awk -v t="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / t }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# CPU (user + sys) spent in one round by the broker, the fleet that answered and the client JVM (start to exit):
# robust where wall time is not, on a machine shared with other work.
cpu_round() {   # fleet pid, then the command
  local fleet="$1"; shift
  local b0 f0 a0 b1 f1 a1
  b0=$(cpu_ms "$broker_pid"); f0=$(cpu_ms "$fleet"); a0=$(cpu_ms "${agent_pid:-0}")
  /usr/bin/time -f "%U %S" -o "$work/time" "$@"
  b1=$(cpu_ms "$broker_pid"); f1=$(cpu_ms "$fleet"); a1=$(cpu_ms "${agent_pid:-0}")
  # The client: its own JVM, plus what the agent spent on its command (with AGENT=1).
  echo "$((b1 - b0)) $((f1 - f0)) $(tail -1 "$work/time" | awk -v a=$((a1 - a0)) '{ printf "%d", ($1 + $2) * 1000 + a }')" >"$work/cpu"
}

round_raw() {   # n, then the fleet's pid and any more client flags (default: the plain raw consumers)
  local out n="$1" fleet="${2:-$raw_pid}"
  shift; shift || true
  out=$(ORCH_JAVA_OPTS="$launcher_opts ${CLI_JAVA_OPTS:-}" cpu_round "$fleet" "$here/orch" bench-raw-client "${raw_flags[@]}" \
        --broker "$url" --expect "$n" --timeout-ms 60000 "$@" 2>"$work/err" || true)
  [ -n "$out" ] || { echo "-1 0 $(cat "$work/cpu")"; return; }
  python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["publish_to_last_reply_ms"], d["answers"], sys.argv[2])' "$out" "$(cat "$work/cpu")"
}

round_orch() {  # n, then the orch arguments
  local n="$1"; shift
  # No --nodes: a named list is asked node by node (up to 200) and would not be the broadcast raw JMS does.
  ORCH_JAVA_OPTS="$launcher_opts ${CLI_JAVA_OPTS:-}" cpu_round "$lab_pid" "$here/orch" "$@" \
    --discovery-timeout 60s --broker "$url" --json >"$work/out.json" 2>"$work/err" || true
  python3 - "$n" "$work/out.json" "$(cat "$work/cpu")" <<'PY'
import json, sys
n = int(sys.argv[1])
try:
    d = json.load(open(sys.argv[2]))
except Exception:
    print(-1, 0, sys.argv[3]); sys.exit()
print(d["timings_ms"]["discovery_last_reply"], n - len(d["no_response"]), sys.argv[3])
PY
}

for n in "${sizes[@]}"; do
  ORCH_JAVA_OPTS="$fleet_opts ${LAB_JAVA_OPTS:-}" "$here/orch" lab --nodes "$n" "${lab_flags[@]}" \
    --broker "$url" >"$work/lab.log" 2>&1 & lab_pid=$!
  ORCH_JAVA_OPTS="$fleet_opts ${RAW_JAVA_OPTS:-}" "$here/orch" bench-raw-nodes --nodes "$n" "${raw_flags[@]}" \
    --broker "$url" >"$work/raw.log" 2>&1 & raw_pid=$!
  if [ "${RAW_SIGNED:-0}" = 1 ]; then
    ORCH_JAVA_OPTS="$fleet_opts ${RAW_JAVA_OPTS:-}" "$here/orch" bench-raw-nodes --signed --nodes "$n" "${raw_flags[@]}" \
      --broker "$url" >"$work/signed.log" 2>&1 & signed_pid=$!
  fi
  until grep -q "^lab: .* up in" "$work/lab.log" 2>/dev/null; do
    kill -0 "$lab_pid" 2>/dev/null || { echo "lab died:" >&2; tail -20 "$work/lab.log" >&2; exit 1; }
    sleep 0.5
  done
  until grep -q "^raw: .* up in" "$work/raw.log" 2>/dev/null; do
    kill -0 "$raw_pid" 2>/dev/null || { echo "raw consumers died:" >&2; tail -20 "$work/raw.log" >&2; exit 1; }
    sleep 0.5
  done
  if [ -n "${signed_pid:-}" ]; then
    until grep -q "^raw: .* up in" "$work/signed.log" 2>/dev/null; do
      kill -0 "$signed_pid" 2>/dev/null || { echo "signing raw consumers died:" >&2; tail -20 "$work/signed.log" >&2; exit 1; }
      sleep 0.5
    done
  fi
  echo "N=$n: $(grep "^lab: .* up in" "$work/lab.log" | cut -c1-80); $(grep '^raw:' "$work/raw.log")" \
    "${signed_pid:+; $(grep '^raw:' "$work/signed.log")}" >&2
  # One unrecorded round first: each subcommand's first run writes its class-data archive at exit.
  round_raw "$n" >/dev/null
  [ -z "${signed_pid:-}" ] || round_raw "$n" "$signed_pid" --signed >/dev/null
  round_orch "$n" ping >/dev/null
  round_orch "$n" reboot --noop -F reboot_pending=true >/dev/null
  if [ -n "$agent_pid" ]; then   # the agent's JIT warms over its first commands
    for _ in 1 2; do
      round_orch "$n" ping >/dev/null
      round_orch "$n" reboot --noop -F reboot_pending=true >/dev/null
    done
  fi
  for r in $(seq "$rounds"); do
    printf '%s\t%s\traw\t%s\n' "$n" "$r" "$(round_raw "$n")" >>"$results"
    kinds=3
    if [ -n "${signed_pid:-}" ]; then
      printf '%s\t%s\tsigned\t%s\n' "$n" "$r" "$(round_raw "$n" "$signed_pid" --signed)" >>"$results"
      kinds=4
    fi
    printf '%s\t%s\tping\t%s\n' "$n" "$r" "$(round_orch "$n" ping)" >>"$results"
    printf '%s\t%s\tnoop\t%s\n' "$n" "$r" "$(round_orch "$n" reboot --noop -F reboot_pending=true)" >>"$results"
    tail -"$kinds" "$results" | tr '\t' ' ' | paste -sd ';' >&2
  done
  if [ -n "$agent_pid" ]; then   # a raw client that stays warm too: its first round is dropped
    ORCH_JAVA_OPTS="$launcher_opts ${CLI_JAVA_OPTS:-}" "$here/orch" bench-raw-client "${raw_flags[@]}" --broker "$url" \
      --expect "$n" --timeout-ms 60000 --rounds $((rounds + 1)) 2>"$work/err" | tail -n +2 \
      | python3 -c 'import json,sys
for i, l in enumerate(sys.stdin):
    d = json.loads(l); print(sys.argv[1], i + 1, "rawwarm", d["publish_to_last_reply_ms"], d["answers"], sep="\t")' "$n" >>"$results" || true
  fi
  stop_fleets
done
[ -z "${FANOUT_KEEP:-}" ] || cp "$results" "$FANOUT_KEEP"

python3 - "$results" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
by = {}
cpu = {}
for n, r, kind, ms, heard, *spent in rows:
    by.setdefault((int(n), kind), []).append((int(ms), int(heard)))
    if len(spent) == 3:
        cpu.setdefault((int(n), kind), []).append([int(x) for x in spent])
def cell(v):
    ms = [m for m, _ in v]
    return f"{statistics.median(ms):.0f} ({min(ms)}–{max(ms)})"
print()
print("Publish → last reply, ms: median (min–max) over the rounds; answered = replies heard in each round")
print()
print("| N | rounds | raw JMS | orch ping | ratio | orch reboot --noop | ratio | answered raw / ping / noop |")
print("|---|---|---|---|---|---|---|---|")
for n in sorted({k[0] for k in by}):
    raw, ping, noop = by[(n, "raw")], by[(n, "ping")], by[(n, "noop")]
    base = statistics.median(m for m, _ in raw)
    ratio = lambda v: f"{statistics.median(m for m, _ in v) / base:.2f}×" if base > 0 else "-"
    heard = lambda v: ",".join(str(h) for _, h in v)
    print(f"| {n:,} | {len(raw)} | {cell(raw)} | {cell(ping)} | {ratio(ping)} | {cell(noop)} | {ratio(noop)} | "
          f"{heard(raw)} / {heard(ping)} / {heard(noop)} |")
signed = sorted(n for (n, kind) in by if kind == "signed")
if signed:
    print()
    print("Against raw consumers that sign each reply and a raw client that checks each signature (the floor of a")
    print("signed fan-out), in the same run:")
    print()
    print("| N | rounds | signed raw | its ratio to raw | orch ping | ratio | orch reboot --noop | ratio | answered |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n in signed:
        raw, sig, ping, noop = by[(n, "raw")], by[(n, "signed")], by[(n, "ping")], by[(n, "noop")]
        base = statistics.median(m for m, _ in sig)
        plain = statistics.median(m for m, _ in raw)
        ratio = lambda v: f"{statistics.median(m for m, _ in v) / base:.2f}×" if base > 0 else "-"
        print(f"| {n:,} | {len(sig)} | {cell(sig)} | {base / plain:.2f}× | {cell(ping)} | {ratio(ping)} | "
              f"{cell(noop)} | {ratio(noop)} | {','.join(str(h) for _, h in sig)} |")
warm = sorted(n for (n, kind) in by if kind == "rawwarm")
if warm:
    print()
    print("Against a raw client that stays warm (one JVM, its first round dropped), in the same run:")
    print()
    print("| N | rounds | warm raw JMS | orch ping | ratio | orch reboot --noop | ratio |")
    print("|---|---|---|---|---|---|---|")
    for n in warm:
        raw, ping, noop = by[(n, "rawwarm")], by[(n, "ping")], by[(n, "noop")]
        base = statistics.median(m for m, _ in raw)
        ratio = lambda v: f"{statistics.median(m for m, _ in v) / base:.2f}×" if base > 0 else "-"
        print(f"| {n:,} | {len(raw)} | {cell(raw)} | {cell(ping)} | {ratio(ping)} | {cell(noop)} | {ratio(noop)} |")
print()
print("CPU per round, ms (user + sys, median): the broker, the fleet that answered (lab or raw consumers), the client JVM")
print()
print("| N | kind | broker | fleet | client | all three |")
print("|---|---|---|---|---|---|")
for (n, kind), v in sorted(cpu.items()):
    med = [statistics.median(x[i] for x in v) for i in range(3)]
    print(f"| {n:,} | {kind} | {med[0]:.0f} | {med[1]:.0f} | {med[2]:.0f} | {sum(med):.0f} |")
PY
