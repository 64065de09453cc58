#!/usr/bin/env bash
# A/B of two Cachalot edges under the same load, alternating short wrk runs so that both see the same machine:
# on a shared box the noise between runs minutes apart is larger than most effects worth measuring.
#
#   A_OPTS="-Dx=1" B_OPTS="-Dx=2" benchmarks/load/ab.sh                      # JVM options differ
#   A_ARGS="--set metrics.enabled=false" B_ARGS="" LOAD=hot benchmarks/load/ab.sh   # edge flags differ
#   B_ROOT=/path/to/other/checkout benchmarks/load/ab.sh                       # builds differ
#   B_PORT=18020 benchmarks/load/ab.sh          # B is a proxy already running there (the harness's Varnish)
#
# LOAD=range (default): random 1 MiB ranges of the harness videos, 32 connections, after a full GET of each.
# LOAD=hot: the harness's hot-small list (100 x 8 KiB), 64 connections. LOAD=zipf: the zipf-mix list, 64
# connections, after the same ZIPF_WARM_REQUESTS (400,000) requests to each. ROUNDS (10) x DURATION (5 s) per edge.
# MEMORY (1024MiB) is each edge's memory tier; A_ARGS/B_ARGS can add a mapped tier (--mapped-dir, --mapped-size).
# Both edges pinned to CPU 1 (only the one under load is busy), wrk to CPU 0. Prints each round and the median of
# the per-round B/A ratios. Needs the harness copy and its origin (benchmarks/load/compare.sh, ./origin.sh start).
# PERF=1 also counts each edge's CPU cycles and instructions per request in every round (perf stat on the edge's
# process, user and kernel): when other tenants make req/s swing, cycles per request still show what a change costs.
# Not for B_PORT (a proxy this script did not start).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B_ROOT=${B_ROOT:-$ROOT}
BENCH=${BENCH_WORK:-${TMPDIR:-/tmp}/cachalot-bench}
LOAD=${LOAD:-range}
ROUNDS=${ROUNDS:-10}
DURATION=${DURATION:-5}
BASE_OPTS="-Xms3g -Xmx3g -XX:+UseParallelGC -XX:+AlwaysPreTouch"

pids=()
declare -A edge_pid=()
stop_all() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap stop_all EXIT
start_edge() { # ROOT PORT OPTS ARGS
  local root=$1 port=$2 opts=$3 args=$4
  # shellcheck disable=SC2086
  CACHALOT_JAVA_OPTS="$BASE_OPTS $opts" taskset -c 1 "$root/bin/cachalot" edge --listen "127.0.0.1:$port" \
    --admin "127.0.0.1:$((port + 1))" --origin http://127.0.0.1:18080 --memory-size "${MEMORY:-1024MiB}" \
    --set cache.maxObjectSize=128MiB --set server.ioThreads=1 $args >"$BENCH/ab-$port.log" 2>&1 &
  pids+=($!)
  edge_pid[$port]=$!
  for _ in $(seq 1 600); do
    curl -fs "http://127.0.0.1:$((port + 1))/readyz" >/dev/null 2>&1 && return 0
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "edge on $port did not start" >&2; cat "$BENCH/ab-$port.log" >&2; exit 1
}
warm() { # PORT
  if [ "$LOAD" = range ]; then
    while IFS=$'\t' read -r p _; do curl -s -o /dev/null "http://127.0.0.1:$1$p"; done <"$BENCH/lists/videos.tsv"
  elif [ "$LOAD" = zipf ]; then # as the harness's zipf-mix warm-up: the same sequence for both
    head -n "${ZIPF_WARM_REQUESTS:-400000}" "$BENCH/lists/zipf.txt" |
      awk -v b="http://127.0.0.1:$1" '{printf "url = \"%s%s\"\noutput = \"/dev/null\"\n", b, $1}' |
      taskset -c 0 curl -s --no-progress-meter -Z --parallel-max 64 --max-time 120 -K - || true
  else
    while read -r p; do curl -s -o /dev/null "http://127.0.0.1:$1$p"; done <"$BENCH/lists/hot.txt"
  fi
}
measure() { # PORT -> MB/s (range) or req/s (hot, zipf); with PERF=1, then cycles and instructions per request
  if [ "${PERF:-0}" = 1 ] && [ -n "${edge_pid[$1]:-}" ]; then
    local stats java out value
    stats=$(mktemp)
    java=$(pgrep -P "${edge_pid[$1]}" java || echo "${edge_pid[$1]}") # bin/cachalot may exec java or run it
    perf stat -x, -e cycles,instructions -p "$java" -o "$stats" -- sleep "$DURATION" &
    local perf_pid=$!
    out=$(PERF=0 measure_json "$1")
    wait "$perf_pid" || true
    value=$(sed -n 's/.*"rps":\([0-9.]*\).*/\1/p' <<<"$out")
    [ "$LOAD" = range ] && value=$(sed -n 's/.*"mbps":\([0-9.]*\).*/\1/p' <<<"$out")
    awk -F, -v n="$(sed -n 's/.*"requests":\([0-9]*\).*/\1/p' <<<"$out")" -v v="$value" '
      $3 == "cycles" { c = $1 } $3 == "instructions" { i = $1 }
      END { printf "%s %.0f %.0f\n", v, c / n, i / n }' "$stats"
    rm -f "$stats"
    return
  fi
  local out
  out=$(measure_json "$1")
  if [ "$LOAD" = range ]; then
    sed -n 's/.*"mbps":\([0-9.]*\).*/\1/p' <<<"$out"
  else
    sed -n 's/.*"rps":\([0-9.]*\).*/\1/p' <<<"$out"
  fi
}
measure_json() { # PORT -> wrk's JSON line
  local out
  if [ "$LOAD" = range ]; then
    out=$(BENCH=$BENCH VIDEO_LIST=$BENCH/lists/videos.tsv RANGE_BYTES=1048576 COUNT=0 taskset -c 0 \
      wrk -t1 -c32 -d"${DURATION}s" -s "$BENCH/lua/range.lua" "http://127.0.0.1:$1/")
  elif [ "$LOAD" = zipf ]; then
    out=$(BENCH=$BENCH URL_LIST=$BENCH/lists/zipf.txt COUNT=0 START="${ZIPF_WARM_REQUESTS:-400000}" taskset -c 0 \
      wrk -t1 -c64 -d"${DURATION}s" -s "$BENCH/lua/list.lua" "http://127.0.0.1:$1/")
  else
    out=$(BENCH=$BENCH URL_LIST=$BENCH/lists/hot.txt COUNT=0 taskset -c 0 \
      wrk -t1 -c64 -d"${DURATION}s" -s "$BENCH/lua/list.lua" "http://127.0.0.1:$1/")
  fi
  grep WRKJSON <<<"$out"
}

probe=$(head -n 1 "$BENCH/lists/hot.txt")
curl -fs -o /dev/null "http://127.0.0.1:18080$probe" || { echo "the harness origin is not answering on 18080 (./origin.sh start)" >&2; exit 1; }
start_edge "$ROOT" 18060 "${A_OPTS:-}" "${A_ARGS:-}"
BP=${B_PORT:-18062}
[ -n "${B_PORT:-}" ] || start_edge "$B_ROOT" "$BP" "${B_OPTS:-}" "${B_ARGS:-}"
warm 18060; warm "$BP"
measure 18060 >/dev/null; measure "$BP" >/dev/null # JIT warm-up
ratios=()
cycle_ratios=()
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) -eq 1 ]; then
    ma=$(measure 18060); mb=$(measure "$BP")
  else
    mb=$(measure "$BP"); ma=$(measure 18060)
  fi
  read -r a a_cycles a_instr <<<"$ma"
  read -r b b_cycles b_instr <<<"$mb"
  ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b / a }')
  ratios+=("$ratio")
  if [ -n "${a_cycles:-}" ] && [ -n "${b_cycles:-}" ]; then
    cycle_ratio=$(awk -v a="$a_cycles" -v b="$b_cycles" 'BEGIN { printf "%.3f", b / a }')
    cycle_ratios+=("$cycle_ratio")
    echo "round $r: A $a  B $b  B/A $ratio | cycles/req A $a_cycles B $b_cycles B/A $cycle_ratio" \
      "| instructions/req A $a_instr B $b_instr"
  else
    echo "round $r: A $a  B $b  B/A $ratio"
  fi
done
median() { # LABEL VALUES...
  local label=$1
  shift
  printf '%s\n' "$@" | sort -n | awk -v label="$label" '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "median %s over %d rounds: %.3f [%.3f-%.3f]\n", label, NR, m, v[1], v[NR] }'
}
median "B/A" "${ratios[@]}"
[ "${#cycle_ratios[@]}" -eq 0 ] || median "B/A of cycles per request (below 1: B costs less)" "${cycle_ratios[@]}"
