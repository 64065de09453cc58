#!/usr/bin/env bash
# Per-request hardware counters of the proxy's core, for targets that are already running and warm, alternating
# short wrk runs between them. On a shared box req/s and cycles swing with other tenants' memory traffic, while
# instructions and cache misses per request hold within a few percent: they show what a change costs.
#
#   PORTS="18060 18020" LOAD=zipf ROUNDS=4 DURATION=5 benchmarks/load/counters.sh
#
# LOAD=zipf (default; the zipf-mix list after ZIPF_WARM_REQUESTS) or LOAD=hot (hot-small). Counts all of CPU
# (default 1, the core ab.sh and the harness pin proxies to; wrk runs on 0), user and kernel, so the core must be
# running nothing but the target under load: the other targets idle. Needs the harness copy (compare.sh) and perf.
# EVENTS (perf event names, comma-separated) replaces the default set, e.g. EVENTS=cycles,instructions,iTLB-load-misses
set -euo pipefail
BENCH=${BENCH_WORK:-${TMPDIR:-/tmp}/cachalot-bench}
LOAD=${LOAD:-zipf}
ROUNDS=${ROUNDS:-4}
DURATION=${DURATION:-5}
CPU=${CPU:-1}
EVENTS=${EVENTS:-cycles,instructions,cache-misses,L1-dcache-load-misses,dTLB-load-misses}
[ -n "${PORTS:-}" ] || { echo "PORTS: the targets' ports, e.g. PORTS=\"18060 18020\"" >&2; exit 2; }

one() { # PORT -> a line of per-request counters
  local port=$1 out stats list start
  stats=$(mktemp)
  if [ "$LOAD" = hot ]; then list=$BENCH/lists/hot.txt start=0; else
    list=$BENCH/lists/zipf.txt start=${ZIPF_WARM_REQUESTS:-400000}; fi
  BENCH=$BENCH URL_LIST=$list COUNT=0 START=$start taskset -c 0 wrk -t1 -c64 -d"$((DURATION + 1))s" \
    -s "$BENCH/lua/list.lua" "http://127.0.0.1:$port/" >"$stats.wrk" &
  local wrk=$!
  sleep 0.5 # past wrk's connection set-up
  perf stat -a -C "$CPU" -e "$EVENTS" -x, -o "$stats" -- sleep "$DURATION"
  wait "$wrk"
  out=$(grep -o '"rps":[0-9.]*' "$stats.wrk" | cut -d: -f2)
  awk -F, -v port="$port" -v rps="$out" -v s="$DURATION" -v events="$EVENTS" '
    $1 ~ /^[0-9]+$/ { v[$3] = $1 }
    END { n = rps * s; printf "%s  req/s %.0f", port, rps
          k = split(events, e, ",")
          for (i = 1; i <= k; i++) printf "  %s/req %.0f", e[i], v[e[i]] / n; print "" }' "$stats"
  rm -f "$stats" "$stats.wrk"
}

for r in $(seq 1 "$ROUNDS"); do
  for p in $PORTS; do one "$p"; done
done
