#!/usr/bin/env bash
# The longer fuzzing run of docs/fuzzing.md: every Jazzer fuzz test, one at a time, for DURATION
# each (default 3m), at the lowest CPU priority. Prints a table of executions and coverage per
# target from libFuzzer's own summary; the whole Maven output stays in $log.
#   bench/fuzz.sh [DURATION] [TEST_CLASSES]
#   bench/fuzz.sh 10m                       every target for 10 minutes
#   bench/fuzz.sh 2m PolicyFuzzTest         one target
# A finding ends that target's run (the others still run) and this script's exit status is 1; the
# input is then in the test's src/test/resources/.../<Class>Inputs/<method>/ folder as crash-<sha1>
# (or timeout-<sha1>), and the log has the stack.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duration="${1:-3m}"
tests="${2:-*FuzzTest}"
log="${FUZZ_LOG:-$here/target/fuzz-$(date -u +%Y%m%dT%H%M%SZ).log}"
mkdir -p "$(dirname "$log")"
status=0
# The corpus each target grows is kept in <module>/.cifuzz-corpus and reused by the next run.
nice -n 19 mvn -B test -pl protocol,node-responder,orchestrator-cli -am \
  -Dorch.fuzz.duration="$duration" -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false \
  -Dmaven.test.failure.ignore=true >"$log" 2>&1 || status=$?
if grep -qE '== Java Exception:|ERROR: libFuzzer:|Tests run:.*(Failures|Errors): [1-9]' "$log"; then
  status=1
fi
awk '
  /Running io\.orch\..*FuzzTest$/ { target = $NF; sub(/.*\./, "", target) }
  /^#[0-9]+[ \t]+DONE/ { for (i = 1; i <= NF; i++) if ($i == "cov:") cov = $(i + 1) }
  /^Done [0-9]+ runs in [0-9]+ second/ {
    printf "%-24s %12s runs %6s s %8.0f exec/s  cov %s\n", target, $2, $5, ($5 > 0 ? $2 / $5 : 0), cov
  }
  /== Java Exception:|ERROR: libFuzzer:/ { print target ": FINDING: " $0 }
' "$log"
echo "log: $log"
tail -n 12 "$log" | grep -E 'Tests run:|BUILD' || true
exit "$status"
