#!/usr/bin/env bash
# Benchmark: the soak of issue 11. A lab of NODES nodes on its own broker (TLS, a throwaway CA, a free
# loopback port), then REQUESTS real signed pings back to back from one client JVM on one connection
# (`orch bench-soak`: the CLI's own OrchClient and FleetRun, as `orch ping` runs them), each a broadcast
# that waits for every node the registry knows. Meanwhile, every SOAK_SAMPLE_SECONDS (10), the broker
# and the lab are each sampled: live heap after a full GC (jcmd GC.class_histogram collects first and
# totals what is left) and RSS (/proc/PID/status); the client samples itself (heap after System.gc(),
# VmRSS) every SOAK_SAMPLE_EVERY requests. Prints, per request, whether every node
# answered (a lost reply is named), the samples as they come (stderr), then a Markdown table of memory at
# request 0 and at each fifth of the run, the client's own samples, the per-request times, and the
# classes whose live bytes grew most in the broker and the lab between their first and last sample.
#   bench/soak.sh [NODES] [REQUESTS]        (default: 1000 500)
# SOAK_SAMPLE_EVERY: the client's own heap/RSS sample every this many requests (default 25).
# SOAK_KEEP=DIR keeps the logs, samples and first/last class histograms there.
# CLI_JAVA_OPTS / LAB_JAVA_OPTS: extra JVM options for the client and the lab. Needs jcmd and python3.
set -euo pipefail
nodes="${1:-1000}"
requests="${2:-500}"
every="${SOAK_SAMPLE_EVERY:-25}"
interval="${SOAK_SAMPLE_SECONDS:-10}"
# shellcheck source=bench/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
export HOME="$work/home"     # the lab's state and the CLI's inventory and last-seen stay in the run's folder
mkdir -p "$HOME"
# ./orch's own defaults: the long-running lab with the full JIT, the client (a CLI) with the client compiler.
fleet_opts="-XX:+UseSerialGC -Xss512k"
cli_opts="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss512k"
stop_soak() {
  kill "${soak_pid:-}" 2>/dev/null || true
  wait "${soak_pid:-}" 2>/dev/null || true
  soak_pid=""
}
# The lab before the broker: each node announces 'stopped' as it goes, and with the broker gone each
# announcement would wait out the reconnect, a thousand nodes one after the other.
stop_lab() {
  kill "${lab_pid:-}" 2>/dev/null || true
  wait "${lab_pid:-}" 2>/dev/null || true
  lab_pid=""
}
trap 'stop_soak; stop_lab; cleanup' EXIT

ORCH_JAVA_OPTS="$fleet_opts ${LAB_JAVA_OPTS:-}" "$here/orch" lab --nodes "$nodes" "${lab_flags[@]}" \
  --broker "$url" >"$work/lab.log" 2>&1 & lab_pid=$!
until grep -q "^lab: .* up in" "$work/lab.log" 2>/dev/null; do
  kill -0 "$lab_pid" 2>/dev/null || { echo "soak: the lab died:" >&2; tail -20 "$work/lab.log" >&2; exit 1; }
  sleep 0.5
done
echo "soak: $(grep "^lab: .* up in" "$work/lab.log" | cut -c1-100)" >&2

samples="$work/samples.tsv"   # elapsed_s, requests done, process, live heap KB, RSS KB
: >"$samples"
t0=$(date +%s%N)
sample() {   # name pid requests-done
  local name="$1" pid="$2" done="$3" hist live rss elapsed
  hist="$work/hist-$name-last.txt"
  timeout 120 jcmd "$pid" GC.class_histogram >"$hist.tmp" 2>/dev/null || return 0
  live=$(awk '/^Total/ {print int($3 / 1024)}' "$hist.tmp")
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
  [ -n "$live" ] && [ -n "$rss" ] || return 0
  [ -f "$work/hist-$name-first.txt" ] || cp "$hist.tmp" "$work/hist-$name-first.txt"
  mv "$hist.tmp" "$hist"
  elapsed=$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.0f", (b - a) / 1e9 }')
  printf '%s\t%s\t%s\t%s\t%s\n' "$elapsed" "$done" "$name" "$live" "$rss" >>"$samples"
  printf 'soak: %5ss request %4s  %-6s live heap %7s KB  RSS %7s KB\n' "$elapsed" "$done" "$name" "$live" "$rss" >&2
}
done_so_far() { grep -c '^request ' "$work/soak.out" 2>/dev/null || true; }

# Request 0: broker and lab with the lab up and idle, before the client starts.
: >"$work/soak.out"
sample broker "$broker_pid" 0
sample lab "$lab_pid" 0
ORCH_JAVA_OPTS="$cli_opts ${CLI_JAVA_OPTS:-}" "$here/orch" bench-soak --expect "$nodes" --requests "$requests" \
  --sample-every "$every" --broker "$url" >"$work/soak.out" 2>"$work/soak.err" & soak_pid=$!
next=$(( $(date +%s) + interval ))
while kill -0 "$soak_pid" 2>/dev/null; do
  if [ "$(date +%s)" -ge "$next" ]; then
    d=$(done_so_far)
    sample broker "$broker_pid" "$d"
    sample lab "$lab_pid" "$d"
    next=$(( $(date +%s) + interval ))
  fi
  sleep 1
done
soak_exit=0
wait "$soak_pid" || soak_exit=$?
soak_pid=""
# After the last request: broker and lab once more, with the client gone.
sample broker "$broker_pid" "$(done_so_far)"
sample lab "$lab_pid" "$(done_so_far)"
grep -v '^request .* heard, .* exit 0$' "$work/soak.out" | grep -v '^sample ' || true
[ ! -s "$work/soak.err" ] || { echo "soak: the client's stderr:"; sed 's/^/  /' "$work/soak.err" | head -40; }

python3 - "$samples" "$work/soak.out" "$requests" "$work" <<'PY'
import re, sys, os
samples_file, soak_out, requests, work = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
rows = [l.rstrip("\n").split("\t") for l in open(samples_file) if l.strip()]
by = {}
for elapsed, done, name, live, rss in rows:
    by.setdefault(name, []).append((int(done), int(elapsed), int(live), int(rss)))
own = [(int(m[0]), int(m[1]), int(m[2])) for m in
       re.findall(r"^sample requests=(\d+) heap_after_gc_kb=(\d+) rss_kb=(\d+)", open(soak_out).read(), re.M)]
mib = lambda kb: f"{kb / 1024:.1f}"

def nearest(series, at):
    return min(series, key=lambda s: (abs(s[0] - at), s[1])) if series else None

step = max(1, requests // 5)
points = list(range(0, requests + 1, step))
if points[-1] != requests:
    points.append(requests)
print()
print("Memory at request 0 and every fifth of the run, MiB: live heap after a full GC / RSS "
      "(broker and lab: jcmd sample nearest that request, its request count in brackets; "
      "client: its own sample, heap after System.gc())")
print()
print("| request | broker live heap | broker RSS | lab live heap | lab RSS | client heap after GC | client RSS |")
print("|---|---|---|---|---|---|---|")
for at in points:
    cells = [str(at)]
    for name in ("broker", "lab"):
        s = nearest(by.get(name, []), at)
        cells += [f"{mib(s[2])} [{s[0]}]", mib(s[3])] if s else ["-", "-"]
    c = [o for o in own if o[0] == at]
    cells += [mib(c[0][1]), mib(c[0][2])] if c else ["-", "-"]
    print("| " + " | ".join(cells) + " |")

print()
print("Every sample (jcmd), MiB: live heap / RSS")
print()
print("| s | request | process | live heap | RSS |")
print("|---|---|---|---|---|")
for elapsed, done, name, live, rss in rows:
    print(f"| {elapsed} | {done} | {name} | {mib(int(live))} | {mib(int(rss))} |")

print()
print("Client's own samples (heap after System.gc(), RSS), MiB:",
      ", ".join(f"{r}: {mib(h)} / {mib(s)}" for r, h, s in own))

def histogram(path):
    counts = {}
    for line in open(path):
        m = re.match(r"\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)", line)
        if m:
            counts[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return counts

for name in ("broker", "lab"):
    first, last = f"{work}/hist-{name}-first.txt", f"{work}/hist-{name}-last.txt"
    if not (os.path.exists(first) and os.path.exists(last)):
        continue
    a, b = histogram(first), histogram(last)
    growth = sorted(((b.get(k, (0, 0))[1] - a.get(k, (0, 0))[1], k) for k in set(a) | set(b)), reverse=True)
    print()
    print(f"{name}: live bytes grown most between its first and last sample:",
          "; ".join(f"{k} {d / 1024:+.0f} KB ({a.get(k, (0, 0))[0]} -> {b.get(k, (0, 0))[0]} objects)"
                    for d, k in growth[:8] if d > 0) or "none")
PY
[ -z "${SOAK_KEEP:-}" ] || { mkdir -p "$SOAK_KEEP"; cp "$work"/*.log "$work"/soak.* "$work"/samples.tsv "$work"/hist-* "$SOAK_KEEP"/ 2>/dev/null || true; }
exit "$soak_exit"
