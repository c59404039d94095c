#!/usr/bin/env bash
# change-window.sh: one change window with orch, start to finish, for a person or a timer.
#
#   1. sanity: the broker answers and nodes are on the bus (orch ping), and how many match (orch discover)
#   2. a dry run (orch reboot --noop): who would reboot, in which batch, and why
#   3. the rolling reboot: orch reboot --batch ... --wait --max-failures ..., streamed to run.jsonl
#   4. a plain-text summary fit for mail: times, counts, the nodes that need a look, the request ids
#   5. the script exits with orch's exit code, so a systemd unit, cron or CI sees a failure
#
# Settings come from the environment (or the flags below); orch's own ORCH_* variables
# (ORCH_BROKER, ORCH_COLLECTIVE, ORCH_TIMEOUT, ...) and its client.yaml files apply as usual.
#
#   ORCH          command that runs orch, split on whitespace (default: orch), e.g. ./orch or
#                 "java -jar /opt/orch/orch-cli.jar"
#   FILTER        fact filter, passed as -F (default: reboot_pending=true)
#   SELECT        optional compound filter, passed as -S (e.g. "os.family=Debian and not role=db")
#   BATCH         --batch (default: 10%)
#   MAX_FAILURES  --max-failures (default: 5%)
#   WAIT_TIMEOUT  --wait-timeout (default: 30m)
#                 Set one of these three to the empty string to leave it to orch's own configuration
#                 (ORCH_BATCH, client.yaml, built-in default).
#   DELAY         --delay (default: orch's, 1m); MESSAGE: --message for logged-in users
#   NODES_FILE    --nodes: the inventory, so that a node missing from the bus is named
#   EXCLUDE_FILE  --exclude-nodes: never touch these
#   REPORT_DIR    where this run's files go (default: $STATE_DIRECTORY/reports/<time> under
#                 systemd, else a new directory from mktemp)
#   MAIL_TO       mail the summary to these addresses (with mail or sendmail); it is printed anyway
#   DRY_RUN=1     stop after the dry run
#   JSON_TOOL     auto (default: jq, else python3, else plain grep), or jq, python3, none
#
# Arguments after -- go to both orch reboot runs (the dry run and the real one), e.g.
#   change-window.sh -- --require-clear --onlyif kernel_update --limit 20
#
# Exit codes: orch's. 0 all done; 1 a node failed, was denied or did not reboot; 2 usage or
# configuration error; 3 broker unreachable or lost; 4 a node did not answer or was not back in
# time; 5 stopped by --max-failures; 130 interrupted. The summary says what each means here.
#
# Ctrl-C (or SIGTERM, e.g. systemctl stop) during the rolling reboot asks orch to stop: no new
# batch starts, reboots already scheduled go ahead, and the summary says how to cancel them.
# A second one stops orch at once.

# shellcheck disable=SC2016 # the jq programs are in single quotes on purpose
set -euo pipefail

prog=change-window

usage() {
    sed -n '2,/^$/{s/^# \{0,1\}//;p;}' "$0"
    echo "Flags (each sets one of the variables above): --filter EXPR, --select EXPR, --batch N|N%,"
    echo "  --max-failures N|N%, --wait-timeout DURATION, --delay DURATION, --message TEXT, --nodes FILE,"
    echo "  --exclude-nodes FILE, --report-dir DIR, --mail-to ADDRESSES, --dry-run (-n), --help (-h)"
}

die() { # die CODE MESSAGE: before anything was sent
    echo "$prog: $2" >&2
    exit "$1"
}

# --- settings: flags over environment over defaults -------------------------------------------

reboot_extra=()
while [ $# -gt 0 ]; do
    arg=$1
    shift
    case $arg in
        --*=*) value=${arg#*=}; arg=${arg%%=*}; has_value=1 ;;
        *) value=''; has_value=0 ;;
    esac
    case $arg in
        -h | --help) usage; exit 0 ;;
        -n | --dry-run) DRY_RUN=1; continue ;;
        --) reboot_extra=("$@"); break ;;
        --filter | --select | --batch | --max-failures | --wait-timeout | --delay | --message | --nodes \
            | --exclude-nodes | --report-dir | --mail-to) ;;
        *) die 2 "unknown argument '$arg' (see --help; arguments for orch reboot go after --)" ;;
    esac
    if [ "$has_value" = 0 ]; then
        [ $# -gt 0 ] || die 2 "$arg needs a value"
        value=$1
        shift
    fi
    case $arg in
        --filter) FILTER=$value ;;
        --select) SELECT=$value ;;
        --batch) BATCH=$value ;;
        --max-failures) MAX_FAILURES=$value ;;
        --wait-timeout) WAIT_TIMEOUT=$value ;;
        --delay) DELAY=$value ;;
        --message) MESSAGE=$value ;;
        --nodes) NODES_FILE=$value ;;
        --exclude-nodes) EXCLUDE_FILE=$value ;;
        --report-dir) REPORT_DIR=$value ;;
        --mail-to) MAIL_TO=$value ;;
    esac
done

ORCH=${ORCH:-orch}
FILTER=${FILTER-reboot_pending=true}
SELECT=${SELECT:-}
BATCH=${BATCH-10%}
MAX_FAILURES=${MAX_FAILURES-5%}
WAIT_TIMEOUT=${WAIT_TIMEOUT-30m}
DELAY=${DELAY:-}
MESSAGE=${MESSAGE:-}
NODES_FILE=${NODES_FILE:-}
EXCLUDE_FILE=${EXCLUDE_FILE:-}
MAIL_TO=${MAIL_TO:-}
DRY_RUN=${DRY_RUN:-0}
JSON_TOOL=${JSON_TOOL:-auto}

read -r -a orch_cmd <<<"$ORCH"
[ ${#orch_cmd[@]} -gt 0 ] || die 2 "ORCH is empty"
command -v "${orch_cmd[0]}" >/dev/null 2>&1 || die 2 "cannot run orch: '${orch_cmd[0]}' not found (set ORCH, e.g. ORCH=./orch)"
[ -z "$FILTER" ] && [ -z "$SELECT" ] && die 2 "FILTER and SELECT are both empty: refusing to reboot every node"
for file in "$NODES_FILE" "$EXCLUDE_FILE"; do
    [ -z "$file" ] || [ -r "$file" ] || die 2 "cannot read $file"
done

case $JSON_TOOL in
    auto)
        if command -v jq >/dev/null 2>&1; then JSON_TOOL=jq
        elif command -v python3 >/dev/null 2>&1; then JSON_TOOL=python3
        else JSON_TOOL=none
        fi ;;
    jq | python3) command -v "$JSON_TOOL" >/dev/null 2>&1 || die 2 "JSON_TOOL=$JSON_TOOL, but $JSON_TOOL is not installed" ;;
    none) ;;
    *) die 2 "JSON_TOOL must be auto, jq, python3 or none, not '$JSON_TOOL'" ;;
esac

if [ -z "${REPORT_DIR:-}" ]; then
    if [ -n "${STATE_DIRECTORY:-}" ]; then # systemd's StateDirectory=
        REPORT_DIR="${STATE_DIRECTORY%%:*}/reports/$(date +%Y%m%dT%H%M%S)"
    else
        REPORT_DIR=$(mktemp -d "${TMPDIR:-/tmp}/orch-change-window.XXXXXX")
    fi
fi
mkdir -p "$REPORT_DIR" || die 2 "cannot create REPORT_DIR $REPORT_DIR"

filter_args=()
[ -z "$FILTER" ] || filter_args+=(-F "$FILTER")
[ -z "$SELECT" ] || filter_args+=(-S "$SELECT")
target_args=()
[ -z "$NODES_FILE" ] || target_args+=(--nodes "$NODES_FILE")
[ -z "$EXCLUDE_FILE" ] || target_args+=(--exclude-nodes "$EXCLUDE_FILE")
reboot_args=(reboot "${filter_args[@]}" ${target_args[@]+"${target_args[@]}"} --wait)
[ -z "$BATCH" ] || reboot_args+=(--batch "$BATCH")
[ -z "$MAX_FAILURES" ] || reboot_args+=(--max-failures "$MAX_FAILURES")
[ -z "$WAIT_TIMEOUT" ] || reboot_args+=(--wait-timeout "$WAIT_TIMEOUT")
[ -z "$DELAY" ] || reboot_args+=(--delay "$DELAY")
[ -z "$MESSAGE" ] || reboot_args+=(--message "$MESSAGE")
reboot_args+=(${reboot_extra[@]+"${reboot_extra[@]}"})

# How to reach the same broker and collective again, for the cancel command in the summary.
cancel_cmd="$ORCH cancel"
[ -z "${ORCH_BROKER:-}" ] || cancel_cmd+=" --broker '$ORCH_BROKER'"
[ -z "${ORCH_COLLECTIVE:-}" ] || cancel_cmd+=" --collective $ORCH_COLLECTIVE"

log() { # never fatal: a broken stderr (tee gone, terminal hung up) must not kill the window mid-run
    printf '%s %s: %s\n' "$(date +%H:%M:%S)" "$prog" "$*" >&2 2>/dev/null || true
}

quoted() { # a command line as it can be pasted
    local out='' word
    for word in "$@"; do
        out+=" $(printf '%q' "$word")"
    done
    printf '%s' "${out# }"
}

# --- JSON: jq, else python3, else grep and sed ---------------------------------------------------
# Every report reader exists twice (jq and python3) and prints the same text.

JQ_LIB='
def pad($n): if length < $n then . + (" " * ($n - length)) else . end;
def wrap: reduce .[] as $w ([];
    if length == 0 or (.[-1] | length) + ($w | length) > 70 then . + [$w] else .[:-1] + [.[-1] + " " + $w] end)
  | map("    " + .) | .[];
def dur: (. / 1000 | floor) as $s
  | if $s >= 3600 then "\($s / 3600 | floor)h\($s % 3600 / 60 | floor)m"
    elif $s >= 60 then "\($s / 60 | floor)m\($s % 60)s" else "\(. / 100 | floor / 10)s" end;
def failure: . as $s | ["failed", "denied", "expired", "invalid", "still_pending", "reboot_failed",
    "reboot_interrupted"] | any(. == $s);
def logonly: .message | contains("executor is '"'"'log'"'"'");
'

JQ_COUNT='[.nodes[] | select(.status == "ok")] | length'

JQ_NOOP='
[.nodes[] | select(.status == "noop")] as $noop
| [$noop[] | select(logonly | not)] as $would
| [$noop[] | select(logonly)] as $logged
| [.nodes[] | select(.status != "noop" and .status != "no_response")] as $other
| [.nodes[] | select(.status == "no_response")] as $missing
| ([.nodes[].identity | length] + [8] | max) as $w
| "Would reboot \($would | length) node(s)"
  + (if (.batches | length) > 1 then " in \(.batches | length) batches" else "" end)
  + ", \(.not_matched) did not match.",
  (if ($would | length) > 0 then
     "Reasons: " + ([$would[].reasons[]] | group_by(.) | sort_by([-length, .[0]])
       | map("\(.[0]) \(length)") | join(", ")),
     ($would[] | "    \(.identity | pad($w))  batch \(.batch // "-")  \(.reasons | join(", "))")
   else empty end),
  (if ($logged | length) > 0 then
     "Would only log the reboot (reboot.executor: log on the node) (\($logged | length)):",
     ($logged[] | "    \(.identity | pad($w))  \(.reasons | join(", "))")
   else empty end),
  (if ($other | length) > 0 then
     "Would not reboot (\($other | length)):",
     ($other[] | "    \(.identity | pad($w))  \(.status | pad(12))  \(.message)")
   else empty end),
  (if ($missing | length) > 0 then
     "No response (\($missing | length)):",
     ($missing[] | "    \(.identity | pad($w))  \(.message)")
   else empty end),
  "orch: \(.summary_line)"
'

JQ_PROGRESS='
if .type == "discovered" then
  "discovery: \(.matched) to reboot, \(.not_matched) did not match"
  + (if (.no_response | length) > 0 then ", no response: \(.no_response | join(", "))" else "" end)
elif .type == "batch_started" then
  "batch \(.batch)/\(.batches) started: \(.nodes | length) node(s), request \(.request_id)"
elif .type == "batch_done" then
  "batch \(.number) \(.outcome) after \(.ended_ms - .started_ms | dur)"
elif .type == "node" and ((.status | failure) or .status == "not_back" or .status == "no_response") then
  "  \(.identity): \(.status | gsub("_"; " ")): \(.message)"
else empty end
'

JQ_SUMMARY='
.nodes as $nodes
| ([$nodes[].identity | length] + [8] | max) as $w
| def rows($list): $list[] | "    \(.identity | pad($w))  \(.status | pad(18))  \(.message)";
  def section($title; $list): if ($list | length) > 0 then "", "\($title) (\($list | length)):" else empty end;
  [$nodes[] | select(.status | failure)] as $failed
| [$nodes[] | select(.status == "not_back")] as $notback
| [$nodes[] | select(.status == "no_response")] as $missing
| (.in_flight // []) as $flying
| [$nodes[] | select(.identity as $i | any($flying[]; . == $i))] as $inflight
| [$nodes[] | select(.status == "not_started")] as $notstarted
| [$nodes[] | select(.status == "rebooted")] as $rebooted
| [$nodes[] | select(.status as $s | ($s | failure) or (["not_back", "no_response", "scheduled", "not_started",
    "rebooted"] | any(. == $s)) | not)] as $other
| "Result:     \(.summary_line)",
  "Batches:    \(.batches | length)"
    + (if (.batches | length) > 0 then ", took \(.timings_ms.total // 0 | dur)" else "" end),
  (.batches[] | "    batch \(.number): \(.nodes | length) node(s), \(.outcome), \(.ended_ms - .started_ms | dur)"),
  (section("FAILED: did not reboot, or came back broken - look at these"; $failed), rows($failed)),
  (section("NOT BACK: rebooting, not seen back within the wait timeout - check them"; $notback), rows($notback)),
  (section("NO RESPONSE: did not answer"; $missing), rows($missing)),
  (if ($inflight | length) > 0 then
     section("IN FLIGHT: reboot scheduled, not seen back; these still reboot unless cancelled"; $inflight),
     ($inflight | map(.identity) | wrap),
     "  to stop the ones still in their delay:",
     "    \($cancel) \(if any($inflight[]; .request_id == null) then .request_ids.reboot // []
                      else $inflight | map(.request_id) | unique end | join(" "))"
   else empty end),
  (section("NOT STARTED: never asked, the run stopped first"; $notstarted),
    ($notstarted | map(.identity) | wrap)),
  (section("OTHER"; $other), rows($other)),
  (section("REBOOTED"; $rebooted), ($rebooted | map(.identity) | wrap)),
  "",
  "Request ids:",
  "    discover   \(.request_ids.discover // [] | join(" "))",
  (.request_ids.reboot // [] | to_entries[] | "    batch \(.key + 1 | tostring | pad(4)) \(.value)")
'

PY='
import json, sys
from collections import Counter

FAILURES = {"failed", "denied", "expired", "invalid", "still_pending", "reboot_failed", "reboot_interrupted"}

def dur(ms):
    s = ms // 1000
    if s >= 3600:
        return "%dh%dm" % (s // 3600, s % 3600 // 60)
    if s >= 60:
        return "%dm%ds" % (s // 60, s % 60)
    t = ms // 100 / 10
    return ("%d" % t if t == int(t) else "%s" % t) + "s"

def wrap(words):
    lines = []
    for w in words:
        if not lines or len(lines[-1]) + len(w) > 70:
            lines.append(w)
        else:
            lines[-1] += " " + w
    return ["    " + l for l in lines]

def logonly(n):
    return "executor is '"'"'log'"'"'" in n["message"]

def width(nodes):
    return max([len(n["identity"]) for n in nodes] + [8])

def count(r):
    return [str(sum(1 for n in r["nodes"] if n["status"] == "ok"))]

def noop(r):
    nodes = r["nodes"]
    w = width(nodes)
    would = [n for n in nodes if n["status"] == "noop" and not logonly(n)]
    logged = [n for n in nodes if n["status"] == "noop" and logonly(n)]
    other = [n for n in nodes if n["status"] not in ("noop", "no_response")]
    missing = [n for n in nodes if n["status"] == "no_response"]
    nb = len(r["batches"])
    out = ["Would reboot %d node(s)%s, %d did not match." % (len(would), " in %d batches" % nb if nb > 1 else "",
                                                             r["not_matched"])]
    if would:
        c = Counter(x for n in would for x in n["reasons"])
        out.append("Reasons: " + ", ".join("%s %d" % (k, v) for k, v in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))))
        out += ["    %s  batch %s  %s" % (n["identity"].ljust(w), n["batch"] if n["batch"] is not None else "-",
                                          ", ".join(n["reasons"])) for n in would]
    if logged:
        out.append("Would only log the reboot (reboot.executor: log on the node) (%d):" % len(logged))
        out += ["    %s  %s" % (n["identity"].ljust(w), ", ".join(n["reasons"])) for n in logged]
    if other:
        out.append("Would not reboot (%d):" % len(other))
        out += ["    %s  %s  %s" % (n["identity"].ljust(w), n["status"].ljust(12), n["message"]) for n in other]
    if missing:
        out.append("No response (%d):" % len(missing))
        out += ["    %s  %s" % (n["identity"].ljust(w), n["message"]) for n in missing]
    out.append("orch: " + r["summary_line"])
    return out

def progress(e):
    t = e.get("type")
    if t == "discovered":
        s = "discovery: %d to reboot, %d did not match" % (e["matched"], e["not_matched"])
        if e["no_response"]:
            s += ", no response: " + ", ".join(e["no_response"])
        return [s]
    if t == "batch_started":
        return ["batch %d/%d started: %d node(s), request %s" % (e["batch"], e["batches"], len(e["nodes"]),
                                                                e["request_id"])]
    if t == "batch_done":
        return ["batch %d %s after %s" % (e["number"], e["outcome"], dur(e["ended_ms"] - e["started_ms"]))]
    if t == "node" and (e["status"] in FAILURES or e["status"] in ("not_back", "no_response")):
        return ["  %s: %s: %s" % (e["identity"], e["status"].replace("_", " "), e["message"])]
    return []

def summary(r, cancel):
    nodes = r["nodes"]
    w = width(nodes)
    def rows(lst):
        return ["    %s  %s  %s" % (n["identity"].ljust(w), n["status"].ljust(18), n["message"]) for n in lst]
    def section(title, lst):
        return ["", "%s (%d):" % (title, len(lst))] if lst else []
    by = lambda s: [n for n in nodes if n["status"] == s]
    failed = [n for n in nodes if n["status"] in FAILURES]
    notback, missing, notstarted, rebooted = by("not_back"), by("no_response"), by("not_started"), by("rebooted")
    flying = set(r.get("in_flight") or [])
    inflight = [n for n in nodes if n["identity"] in flying]
    known = FAILURES | {"not_back", "no_response", "scheduled", "not_started", "rebooted"}
    other = [n for n in nodes if n["status"] not in known]
    b = r["batches"]
    out = ["Result:     " + r["summary_line"],
           "Batches:    %d" % len(b) + (", took %s" % dur(r["timings_ms"].get("total", 0)) if b else "")]
    out += ["    batch %d: %d node(s), %s, %s" % (x["number"], len(x["nodes"]), x["outcome"],
                                              dur(x["ended_ms"] - x["started_ms"])) for x in b]
    out += section("FAILED: did not reboot, or came back broken - look at these", failed) + rows(failed)
    out += section("NOT BACK: rebooting, not seen back within the wait timeout - check them", notback) + rows(notback)
    out += section("NO RESPONSE: did not answer", missing) + rows(missing)
    if inflight:
        out += section("IN FLIGHT: reboot scheduled, not seen back; these still reboot unless cancelled", inflight)
        out += wrap([n["identity"] for n in inflight])
        ids = (r["request_ids"].get("reboot", []) if any(n["request_id"] is None for n in inflight)
               else sorted(set(n["request_id"] for n in inflight)))
        out += ["  to stop the ones still in their delay:", "    %s %s" % (cancel, " ".join(ids))]
    out += section("NOT STARTED: never asked, the run stopped first", notstarted)
    out += wrap([n["identity"] for n in notstarted])
    out += section("OTHER", other) + rows(other)
    out += section("REBOOTED", rebooted) + wrap([n["identity"] for n in rebooted])
    ids = r["request_ids"]
    out += ["", "Request ids:", "    discover   " + " ".join(ids.get("discover", []))]
    out += ["    batch %s %s" % (str(i + 1).ljust(4), x) for i, x in enumerate(ids.get("reboot", []))]
    return out

mode, path = sys.argv[1], sys.argv[2]
with open(path) as f:
    if mode == "progress":
        lines = [l for e in (json.loads(x) for x in f if x.strip()) for l in progress(e)]
    else:
        r = json.load(f)
        lines = {"count": count, "noop": noop}[mode](r) if mode != "summary" else summary(r, sys.argv[3])
for l in lines:
    print(l)
'

# json MODE FILE [CANCEL_COMMAND]: count (matched nodes of a discover report), noop (the dry-run
# report), progress (jsonl events), summary (the final report's node lists); prints nothing with
# JSON_TOOL=none except for count.
json() {
    local mode=$1 file=$2 cancel=${3:-}
    case $JSON_TOOL in
        jq)
            case $mode in
                count) jq -r "$JQ_COUNT" "$file" ;;
                noop) jq -r "$JQ_LIB $JQ_NOOP" "$file" ;;
                progress) jq -r "$JQ_LIB $JQ_PROGRESS" "$file" ;;
                summary) jq -r --arg cancel "$cancel" "$JQ_LIB $JQ_SUMMARY" "$file" ;;
            esac ;;
        python3) python3 -c "$PY" "$mode" "$file" "$cancel" ;;
        none)
            case $mode in
                count) grep -c '"status" *: *"ok"' "$file" || true ;;
                noop)
                    echo "Would reboot: $(awk -F'"' '/^    "identity"/ { id = $4 } /^    "status" *: *"noop"/ { printf "%s ", id }' "$file")"
                    echo "orch: $(field summary_line "$file")" ;;
                progress) sed -n -e 's/.*"type":"batch_started".*"batch":\([0-9]*\),"batches":\([0-9]*\),"request_id":"\([^"]*\)".*/batch \1\/\2 started, request \3/p' \
                    -e 's/.*"type":"batch_done".*"number":\([0-9]*\),.*"outcome":"\([a-z_]*\)".*/batch \1 \2/p' "$file" ;;
                summary)
                    echo "Result:     $(field summary_line "$file")"
                    local list ids
                    for list in not_back no_response in_flight not_started; do
                        ids=$(grep -o "\"$list\" *: *\[[^]]*\]" "$file" | sed -e 's/.*\[//' -e 's/\]$//' -e 's/[", ]\{1,\}/ /g' -e 's/^ //' -e 's/ $//' || true)
                        [ -z "$ids" ] || printf '\n%s: %s\n' "$(echo "$list" | tr '[:lower:]_' '[:upper:] ')" "$ids"
                    done
                    ids=$(grep -o '"reboot" *: *\[[^]]*\]' "$file" | sed -e 's/.*\[//' -e 's/\]$//' -e 's/[", ]\{1,\}/ /g' -e 's/^ //' -e 's/ $//' || true)
                    printf '\nReboot request ids (one per batch): %s\n' "${ids:-none}"
                    [ -z "$(grep -o '"in_flight" *: *\["' "$file" || true)" ] \
                        || printf 'To stop the in-flight reboots still in their delay: %s %s\n' "$cancel" "$ids"
                    echo "(install jq or python3 for the full per-node summary; the whole report is in $file)" ;;
            esac ;;
    esac
}

# field NAME FILE: a top-level string or number of a report (summary_line, exit_code, stop_reason).
field() {
    local name=$1 file=$2
    case $JSON_TOOL in
        jq) jq -r --arg k "$name" '.[$k] // empty' "$file" ;;
        python3) python3 -c 'import json,sys; v=json.load(open(sys.argv[2])).get(sys.argv[1]); print("" if v is None else v)' "$name" "$file" ;;
        none) grep -o "\"$name\" *: *\(\"[^\"]*\"\|[0-9]*\)" "$file" | head -n 1 | sed -e 's/^[^:]*: *//' -e 's/^"//' -e 's/"$//' || true ;;
    esac
}

# --- what each exit code means for this job ------------------------------------------------------

meaning() {
    case $1 in
        0) if [ "$DRY_RUN" = 1 ]; then echo "Dry run only: nothing was rebooted."
           else echo "All done: every node that needed a reboot rebooted and came back (or nothing needed one)."; fi ;;
        1) echo "Some node failed, was denied (e.g. loop_suspected, min interval) or did not reboot: see FAILED." ;;
        2) echo "Usage or configuration error: nothing was sent. Check the settings and 'orch config show'." ;;
        3) if [ "$rolling" = 1 ]; then
               echo "The broker could not be reached, or was lost during the run: check ORCH_BROKER and the" \
                    "broker. Nodes that had their reboot scheduled still reboot (see IN FLIGHT)."
           else echo "The broker could not be reached: check ORCH_BROKER and the broker. Nothing was sent."; fi ;;
        4) echo "Some node did not answer, or did not come back within the wait timeout: see NOT BACK and" \
                "NO RESPONSE (orch ping, orch status)." ;;
        5) echo "Stopped by --max-failures before the next batch: the NOT STARTED nodes were not touched." \
                "Look at the failures, then run the window again." ;;
        130) if [ "$rolling" = 1 ]; then
                 echo "Interrupted: no new batch was started; reboots already scheduled go ahead (see IN FLIGHT)."
             else echo "Interrupted before the rolling reboot: nothing was rebooted."; fi ;;
        70) echo "Internal error in orch (a bug): see the .err files in the report directory and report it." ;;
        *) echo "Unexpected exit code $1 from orch." ;;
    esac
}

# --- signals --------------------------------------------------------------------------------------

orch_pid=''
rolling=0
signals=0
# shellcheck disable=SC2317 # called by the traps
on_signal() {
    signals=$((signals + 1))
    if [ -n "$orch_pid" ] && kill -0 "$orch_pid" 2>/dev/null; then
        # Pass it on first, log after: if logging fails, orch has heard it all the same.
        # orch runs in its own process group (set -m below), so it hears exactly the signals passed on here;
        # the group, so that a wrapper script around java passes it on too.
        kill -INT -- "-$orch_pid" 2>/dev/null || kill -INT "$orch_pid" 2>/dev/null || true
        if [ "$signals" = 1 ]; then
            log "$1: asking orch to stop (no new batch starts; scheduled reboots go ahead); again to stop it at once"
        fi
    else
        log "$1: stopping"
    fi
}
# If this script dies anyway, orch must not go on starting batches with nobody reading its report.
# shellcheck disable=SC2317 # called by the trap
on_exit() {
    if [ -n "$orch_pid" ] && kill -0 "$orch_pid" 2>/dev/null; then
        kill -INT -- "-$orch_pid" 2>/dev/null || kill -INT "$orch_pid" 2>/dev/null || true
        wait "$orch_pid" 2>/dev/null || true
    fi
}
trap 'on_signal interrupt' INT
trap 'on_signal terminated' TERM
trap 'on_signal hangup' HUP
trap '' PIPE
trap on_exit EXIT

# --- the summary, printed and mailed --------------------------------------------------------------

started_at=$(date '+%Y-%m-%d %H:%M:%S %Z')
started_s=$(date +%s)
host=$(uname -n)
noop_line=''
note=''
summary_file="$REPORT_DIR/summary.txt"

finish() { # finish EXIT_CODE [REPORT_JSON]: write summary.txt, print it, mail it, exit with EXIT_CODE
    local code=$1 report=${2:-} took line='' err ids
    took=$(($(date +%s) - started_s))
    [ -z "$report" ] || line=$(field summary_line "$report" || true)
    {
        echo "orch change window on $host: $(headline "$code" "$line")"
        echo
        echo "Started:    $started_at"
        echo "Ended:      $(date '+%Y-%m-%d %H:%M:%S %Z') ($((took / 60))m$((took % 60))s)"
        echo "Broker:     ${ORCH_BROKER:-"as configured for orch"}${ORCH_COLLECTIVE:+", collective $ORCH_COLLECTIVE"}"
        echo "Command:    $ORCH $(quoted "${reboot_args[@]}")"
        [ -z "$noop_line" ] || echo "Dry run:    $noop_line"
        [ -z "$note" ] || echo "Note:       $note"
        echo "Exit code:  $code - $(meaning "$code")"
        if [ "$DRY_RUN" = 1 ] && [ -s "$REPORT_DIR/noop.txt" ]; then
            echo
            echo "Would run ($ORCH $(quoted "${reboot_args[@]}") --noop):"
            sed 's/^/    /' "$REPORT_DIR/noop.txt"
        elif [ -n "$report" ] && [ -s "$report" ]; then
            echo
            json summary "$report" "$cancel_cmd" || echo "(could not read the report $report)"
        elif [ -s "$REPORT_DIR/run.jsonl" ]; then
            echo
            echo "orch ended without its final report (stopped at once, or the broker was lost). Its events:"
            json progress "$REPORT_DIR/run.jsonl" | sed 's/^/    /' || true
            ids=$(sed -n 's/.*"type":"batch_started".*"request_id":"\([^"]*\)".*/\1/p' "$REPORT_DIR/run.jsonl" \
                | tr '\n' ' ' || true)
            if [ -n "$ids" ]; then
                echo "Reboot request ids: $ids"
                echo "To stop the reboots still in their delay: $cancel_cmd $ids"
            fi
        fi
        for err in "$REPORT_DIR"/ping.err "$REPORT_DIR"/discover.err "$REPORT_DIR"/noop.err "$REPORT_DIR"/run.err; do
            # orch repeats its summary line on stderr when a run stopped early; that is above already.
            if [ -s "$err" ] && grep -qvxF "orch: $line" "$err"; then
                echo
                echo "orch on stderr ($(basename "$err" .err)):"
                grep -vxF "orch: $line" "$err" | sed 's/^/    /' || true
            fi
        done
        echo
        echo "Files:      $REPORT_DIR"
    } >"$summary_file"
    find "$REPORT_DIR" -maxdepth 1 -name '*.err' -size 0 -delete 2>/dev/null || true
    cat "$summary_file"
    [ -z "$MAIL_TO" ] || send_mail
    exit "$code"
}

headline() { # headline EXIT_CODE SUMMARY_LINE
    case $1 in
        0) if [ "$DRY_RUN" = 1 ]; then printf 'DRY RUN'; else printf 'OK'; fi ;;
        1) printf 'FAILED' ;;
        2) printf 'CONFIGURATION ERROR' ;;
        3) printf 'BROKER UNREACHABLE OR LOST' ;;
        4) printf 'INCOMPLETE' ;;
        5) printf 'STOPPED by --max-failures' ;;
        130) printf 'INTERRUPTED' ;;
        *) printf 'ERROR (exit %s)' "$1" ;;
    esac
    if [ -n "$2" ]; then printf ' - %s' "$2"; fi
    echo
}

send_mail() {
    local subject sendmail recipients=()
    subject="[orch] $(head -n 1 "$summary_file" | cut -c 1-150)"
    read -r -a recipients <<<"${MAIL_TO//,/ }"
    if command -v mail >/dev/null 2>&1; then
        mail -s "$subject" "${recipients[@]}" <"$summary_file" || log "mail to $MAIL_TO failed"
    elif sendmail=$(command -v sendmail || command -v /usr/sbin/sendmail); then
        {
            printf 'To: %s\nSubject: %s\nContent-Type: text/plain; charset=UTF-8\n\n' \
                "$(IFS=,; echo "${recipients[*]}")" "$subject"
            cat "$summary_file"
        } | "$sendmail" -t -oi || log "sendmail to $MAIL_TO failed"
    else
        log "MAIL_TO is set, but neither mail nor sendmail is installed: the summary is only printed"
    fi
}

# step NAME ARGS...: orch ARGS >NAME.json 2>NAME.err, exit status in rc. Ends the window on a signal
# and on the exit codes that mean nothing can go on (usage, broker, internal error).
step() {
    local name=$1
    shift
    stop_if_signalled "before $name"
    rc=0
    "${orch_cmd[@]}" "$@" >"$REPORT_DIR/$name.json" 2>"$REPORT_DIR/$name.err" || rc=$?
    if [ "$rc" = 130 ]; then signals=$((signals + 1)); fi
    stop_if_signalled "during $name"
    case $rc in
        0 | 1 | 4 | 5) ;;
        *)
            sed "s/^/$prog: /" "$REPORT_DIR/$name.err" >&2 || true
            log "$name: exit code $rc: $(meaning "$rc")"
            finish "$rc" ;;
    esac
}

stop_if_signalled() {
    if [ "$signals" -gt 0 ]; then
        log "interrupted $1: nothing was rebooted"
        finish 130
    fi
}

if [ "$JSON_TOOL" = none ]; then
    log "report directory $REPORT_DIR (JSON read with grep and sed only: a shorter summary)"
else
    log "report directory $REPORT_DIR (JSON read with $JSON_TOOL)"
fi

# 1. Sanity: the broker answers, nodes are on the bus, and some match.
step ping ping ${target_args[@]+"${target_args[@]}"} --json
on_bus=$(json count "$REPORT_DIR/ping.json" || true)
log "ping: $on_bus node(s) on the bus ($(field summary_line "$REPORT_DIR/ping.json"))"
if [ "${on_bus:-0}" = 0 ]; then
    log "no node answered ping: wrong broker or collective?"
    finish "$rc"
fi

step discover discover "${filter_args[@]}" ${target_args[@]+"${target_args[@]}"} --json
matched=$(json count "$REPORT_DIR/discover.json" || true)
log "discover: $matched node(s) match"
if [ "${matched:-0}" = 0 ]; then
    note="no node matches the filter: nothing to do"
    finish "$rc"
fi

# 2. The dry run, with the same options, so that the batches show.
# --force and --yes do not go with --noop: the dry run shows what a plain reboot would do.
noop_args=()
for arg in "${reboot_args[@]}"; do
    case $arg in --force | --yes | -y) ;; *) noop_args+=("$arg") ;; esac
done
step noop "${noop_args[@]}" --noop --json
noop_line=$(field summary_line "$REPORT_DIR/noop.json" || true)
if ! json noop "$REPORT_DIR/noop.json" >"$REPORT_DIR/noop.txt"; then
    echo "(could not read $REPORT_DIR/noop.json)" >"$REPORT_DIR/noop.txt"
fi
if [ "$DRY_RUN" = 1 ]; then
    finish "$rc" "$REPORT_DIR/noop.json"
fi
sed "s/^/$prog: /" "$REPORT_DIR/noop.txt" >&2 || true

# 3. The rolling reboot. orch runs in its own process group (set -m), so that a Ctrl-C at the
# terminal reaches only this script, which passes one SIGINT on: a second one would stop orch at
# once, without its report. (Without set -m, bash would start it with SIGINT ignored.)
stop_if_signalled "before the rolling reboot"
log "rolling reboot: $ORCH $(quoted "${reboot_args[@]}") --jsonl"
rolling=1
set -m
"${orch_cmd[@]}" "${reboot_args[@]}" --jsonl >"$REPORT_DIR/run.jsonl" 2>"$REPORT_DIR/run.err" &
orch_pid=$!
set +m
# A signal that came between the check above and orch_pid being set was not passed on yet.
[ "$signals" -eq 0 ] || kill -INT -- "-$orch_pid" 2>/dev/null || kill -INT "$orch_pid" 2>/dev/null || true

shown=0
show_progress() { # what is new in run.jsonl: batches, and nodes in trouble
    local lines
    lines=$(wc -l <"$REPORT_DIR/run.jsonl") || return 0
    if [ "$lines" -gt "$shown" ]; then
        sed -n "$((shown + 1)),${lines}p" "$REPORT_DIR/run.jsonl" >"$REPORT_DIR/.new-events" || return 0
        json progress "$REPORT_DIR/.new-events" | while IFS= read -r event; do log "$event"; done || true
        shown=$lines
    fi
}
while kill -0 "$orch_pid" 2>/dev/null; do
    sleep 1 || true # a Ctrl-C ends the sleep early; the trap has passed it on
    show_progress
done
while :; do
    seen=$signals
    rc=0
    wait "$orch_pid" || rc=$?
    [ "$signals" != "$seen" ] || break # else a signal cut the wait short: wait again for orch's own status
done
orch_pid=''
show_progress
rm -f "$REPORT_DIR/.new-events"

# 4. The summary. The last line of run.jsonl is orch's final report, the same document as --json.
if tail -n 1 "$REPORT_DIR/run.jsonl" | grep -q '^{"type":"summary"'; then
    tail -n 1 "$REPORT_DIR/run.jsonl" >"$REPORT_DIR/report.json"
    finish "$rc" "$REPORT_DIR/report.json"
fi
# 5. The exit code is orch's (finish exits with it).
finish "$rc"
