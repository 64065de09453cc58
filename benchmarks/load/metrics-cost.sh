#!/usr/bin/env bash
# What metrics and the access log cost on the hit path (issue 6): hot-small against three Cachalot edges in one
# alternating run: metrics and access log on, metrics only, both off; Varnish beside them as a yardstick.
#
#   RUNS=3 benchmarks/load/metrics-cost.sh
#
# All edges are pinned to CPU 1 like every proxy of the harness (only the one under load is busy); the access log
# goes to a file in $BENCH_WORK. Results: $BENCH_WORK/results/summary-*.md (RUNS > 1) and each run's table.md.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED_BENCH=${SHARED_BENCH:-$ROOT/../shared/bench}
BENCH_WORK=${BENCH_WORK:-${TMPDIR:-/tmp}/cachalot-bench}
RUNS=${RUNS:-3}
export CACHE_MB=${CACHE_MB:-1024} PROXY_CPUS=${PROXY_CPUS:-1}

if [ ! -x "$BENCH_WORK/compare.sh" ]; then
  mkdir -p "$BENCH_WORK"; cp -r "$SHARED_BENCH"/. "$BENCH_WORK"/; chmod -R u+w "$BENCH_WORK"
fi
(cd "$BENCH_WORK" && ./setup.sh >&2)
(cd "$ROOT" && mvn -q -DskipTests package)
export CACHALOT_JAVA_OPTS="${CACHALOT_JAVA_OPTS:--Xms3g -Xmx3g -XX:+UseParallelGC -XX:+AlwaysPreTouch}"

pids=()
stop_all() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; pids=(); }
trap stop_all EXIT
start_edge() { # PORT EXTRA_ARGS...
  local port=$1; shift
  taskset -c "$PROXY_CPUS" "$ROOT/bin/cachalot" edge --listen "127.0.0.1:$port" --admin "127.0.0.1:$((port + 1))" \
    --origin http://127.0.0.1:18080 --memory-size "${CACHE_MB}MiB" --set cache.maxObjectSize=128MiB \
    --set server.ioThreads=1 "$@" >"$BENCH_WORK/cachalot-$port.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$((port + 1))/readyz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "edge on $port did not start" >&2; cat "$BENCH_WORK/cachalot-$port.log" >&2; exit 1
}

cd "$BENCH_WORK"
files=""
for i in $(seq 0 $((RUNS - 1))); do
  rm -f "$BENCH_WORK/access.log"
  start_edge 18040 --set accessLog.target="$BENCH_WORK/access.log"
  start_edge 18042 --set metrics.enabled=false
  start_edge 18044
  before=$(ls -d results/compare-* 2>/dev/null | sort | tail -n 1 || true)
  TARGETS="${TARGETS:-varnish}" SCENARIOS="hot-small" RUN_INDEX="$i" TARGET_PID="${pids[*]}" \
    EXTRA_TARGETS="cachalot-metrics-log=http://127.0.0.1:18040 cachalot-bare=http://127.0.0.1:18042 cachalot-metrics=http://127.0.0.1:18044" \
    ./compare.sh
  stop_all
  latest=$(ls -d results/compare-* | sort | tail -n 1)
  [ "$latest" != "$before" ] || { echo "no new results directory" >&2; exit 1; }
  files="$files $latest/results.jsonl"
  echo "access log lines in run $i: $(wc -l <"$BENCH_WORK/access.log")" >&2
done
if [ "$RUNS" -gt 1 ]; then
  summary="results/summary-$(date +%Y%m%d-%H%M%S).md"
  # shellcheck disable=SC2086
  python3 lib/report.py $files >"$summary"
  echo "summary: $BENCH_WORK/$summary" >&2
fi
