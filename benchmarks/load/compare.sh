#!/usr/bin/env bash
# Side-by-side load run: Cachalot beside nginx, Varnish and ATS (and the page-cache "direct" ceiling), on the
# same corpus, alternating in one run, using the shared harness (../shared/bench).
#
#   benchmarks/load/compare.sh                         # every scenario, every target (10-20 min)
#   SCENARIOS=hot-small TARGETS="nginx" benchmarks/load/compare.sh
#   RUNS=3 benchmarks/load/compare.sh                  # 3 runs + a median summary
#
# Cachalot runs like the others: pinned alone to PROXY_CPUS (CPU 1), 1 GiB memory cache (CACHE_MB), in
# front of the harness origin on 127.0.0.1:18080, listening on 127.0.0.1:18040 (admin 18041).
# Results: $BENCH_WORK/results/compare-*/table.md (and summary-*.md for RUNS > 1).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED_BENCH=${SHARED_BENCH:-$ROOT/../shared/bench}
BENCH_WORK=${BENCH_WORK:-${TMPDIR:-/tmp}/cachalot-bench}
PORT=${CACHALOT_PORT:-18040}
CACHE_MB=${CACHE_MB:-1024}
PROXY_CPUS=${PROXY_CPUS:-1}
RUNS=${RUNS:-1}
export CACHE_MB PROXY_CPUS

# the shared harness is read-only: work in a copy (corpus and results live there)
if [ ! -x "$BENCH_WORK/compare.sh" ]; then
  mkdir -p "$BENCH_WORK"
  cp -r "$SHARED_BENCH"/. "$BENCH_WORK"/
  chmod -R u+w "$BENCH_WORK"
fi
(cd "$BENCH_WORK" && ./setup.sh >&2)
(cd "$ROOT" && mvn -q -DskipTests package)

# 1 GiB of cache needs about 2 GiB of heap. On one pinned core the parallel collector gave the best hit throughput
# (G1 measured 10-25% lower in alternating hot-small runs); a JVM pinned to one CPU would otherwise pick Serial.
export CACHALOT_JAVA_OPTS="${CACHALOT_JAVA_OPTS:--Xms3g -Xmx3g -XX:+UseParallelGC -XX:+AlwaysPreTouch}"
EXTRA_ARGS=${CACHALOT_ARGS:-}
pid=
stop_cachalot() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=; fi
}
trap stop_cachalot EXIT

# Like the other targets, Cachalot starts with an empty cache for every run.
start_cachalot() {
  [ -z "${CACHALOT_MAPPED_DIR:-}" ] || rm -rf "$CACHALOT_MAPPED_DIR"
  # shellcheck disable=SC2086
  taskset -c "$PROXY_CPUS" "$ROOT/bin/cachalot" edge --listen "127.0.0.1:$PORT" --admin "127.0.0.1:$((PORT + 1))" \
    --origin http://127.0.0.1:18080 --memory-size "${CACHALOT_MEMORY:-${CACHE_MB}MiB}" \
    --set cache.maxObjectSize="${CACHALOT_MAX_OBJECT_SIZE:-128MiB}" --set server.ioThreads="${CACHALOT_IO_THREADS:-1}" \
    ${CACHALOT_MAPPED_DIR:+--mapped-dir "$CACHALOT_MAPPED_DIR" --mapped-size "${CACHALOT_MAPPED_SIZE:-4GiB}"} \
    $EXTRA_ARGS >"$BENCH_WORK/cachalot.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$((PORT + 1))/readyz" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { cat "$BENCH_WORK/cachalot.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "cachalot pid $pid on 127.0.0.1:$PORT ($(java -version 2>&1 | head -n 1))" >&2
}

cd "$BENCH_WORK"
files=""
for i in $(seq 0 $((RUNS - 1))); do
  start_cachalot
  before=$(ls -d results/compare-* 2>/dev/null | sort | tail -n 1 || true)
  EXTRA_TARGETS="cachalot=http://127.0.0.1:$PORT" TARGET_PID="$pid" RUN_INDEX="$i" ./compare.sh
  stop_cachalot
  latest=$(ls -d results/compare-* | sort | tail -n 1)
  [ "$latest" != "$before" ] || { echo "no new results directory" >&2; exit 1; }
  files="$files $latest/results.jsonl"
done
if [ "$RUNS" -gt 1 ]; then
  summary="results/summary-$(date +%Y%m%d-%H%M%S).md"
  # shellcheck disable=SC2086
  python3 lib/report.py $files >"$summary"
  echo "summary: $BENCH_WORK/$summary" >&2
fi
