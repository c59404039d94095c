#!/usr/bin/env bash
# The longer fuzzing run of docs/fuzzing.md: every Jazzer fuzz test, one at a time, for DURATION
# each (default 3m), at the lowest CPU priority. Prints executions and coverage per target from
# libFuzzer's own summary; each target's whole Maven output stays in target/fuzz-<stamp>/.
#   bench/fuzz.sh [DURATION] [TARGET...]
#   bench/fuzz.sh 10m                         every target for 10 minutes
#   bench/fuzz.sh 2m PolicyFuzzTest           one target
# A finding ends that target's run (the others still run) and the exit status is 1; its input is
# then in the test's src/test/resources/.../<Class>Inputs/<method>/ folder as crash-<sha1> or
# timeout-<sha1>, and the target's log has the stack.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duration="${1:-3m}"
shift || true
declare -A module=(
  [EnvelopeFuzzTest]=protocol [FilterLanguageFuzzTest]=protocol
  [ResponderConfigFuzzTest]=node-responder [PolicyFuzzTest]=node-responder [FactsFileFuzzTest]=node-responder
  [ClientConfigFuzzTest]=orchestrator-cli [NodeListFuzzTest]=orchestrator-cli)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(EnvelopeFuzzTest FilterLanguageFuzzTest ResponderConfigFuzzTest PolicyFuzzTest FactsFileFuzzTest
           ClientConfigFuzzTest NodeListFuzzTest)
fi
logs="${FUZZ_LOGS:-$here/target/fuzz-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$logs"
status=0
printf '%-24s %10s %8s %9s %6s  %s\n' target runs seconds exec/s cov result
for target in "${targets[@]}"; do
  m="${module[$target]:?unknown target $target}"
  log="$logs/$target.log"
  # The corpus each target grows is kept in <module>/.cifuzz-corpus and reused by the next run.
  # shellcheck disable=SC2086  # FUZZ_MVN_FLAGS: extra Maven flags, e.g. -o
  nice -n 19 mvn -B ${FUZZ_MVN_FLAGS:-} test -pl "$m" -am -Dorch.fuzz.duration="$duration" -Dtest="$target" \
    -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1 && result=ok || result=FAILED
  if grep -qE 'Test unit written to|ERROR: libFuzzer:' "$log"; then
    result="FINDING: $(grep -m1 -oE 'FuzzTestFindingException: .*|ERROR: libFuzzer: .*' "$log")"
  fi
  [ "$result" = ok ] || status=1
  awk -v t="$target" -v r="$result" '
    /^#[0-9]+[ \t]+DONE/ { for (i = 1; i <= NF; i++) if ($i == "cov:") cov = $(i + 1) }
    /^Done [0-9]+ runs in [0-9]+ second/ { runs = $2; secs = $5 }
    END { printf "%-24s %10s %8s %9.0f %6s  %s\n", t, runs, secs, (secs > 0 ? runs / secs : 0), cov, r }
  ' "$log"
done
echo "logs: $logs"
exit "$status"
