#!/usr/bin/env bash
# Range-video load on one edge with a JFR recording: the edge pinned to CPU 1 (1 GiB memory, 128 MiB max object),
# every video of the harness corpus fetched once in full (stored as slices), then wrk on CPU 0 with 32 connections
# asking for random 1 MiB ranges for 15 s. Prints wrk's Transfer/sec; the recording is /tmp/rv.jfr
# (jfr print --events jdk.NativeMethodSample --stack-depth 12 /tmp/rv.jfr).
#   ROOT=/path/to/another/checkout benchmarks/load/profile-range-video.sh   # the same load on another build
# Needs the harness copy and origin from benchmarks/load/compare.sh (origin on 127.0.0.1:18080).
set -e
BENCH=${BENCH_WORK:-/tmp/cachalot-bench}
cd "${ROOT:-$(dirname "$0")/../..}"
rm -f /tmp/rv.jfr
export CACHALOT_JAVA_OPTS="-Xms3g -Xmx3g -XX:+UseParallelGC -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:StartFlightRecording=filename=/tmp/rv.jfr,settings=profile,delay=1s,duration=10s ${EXTRA_JAVA_OPTS:-}"
taskset -c 1 bin/cachalot edge --listen 127.0.0.1:18050 --admin 127.0.0.1:18051 --origin http://127.0.0.1:18080 \
  --memory-size 1024MiB --set cache.maxObjectSize=128MiB --set server.ioThreads=1 > /tmp/prof-edge.log 2>&1 &
pid=$!
trap "kill $pid 2>/dev/null" EXIT
for _ in $(seq 1 100); do curl -fs http://127.0.0.1:18051/readyz >/dev/null 2>&1 && break; sleep 0.1; done
while IFS=$'\t' read -r p _; do curl -s -o /dev/null "http://127.0.0.1:18050$p"; done < "$BENCH/lists/videos.tsv"
# how much of its core the edge used, and its cycles (user and kernel) per KiB served: what a change costs per byte,
# though memory contention from the rest of the box moves this too
perf stat -x, -e cycles,task-clock -p $pid -o /tmp/rv.perf -- sleep 14 2>/dev/null &
BENCH=$BENCH VIDEO_LIST=$BENCH/lists/videos.tsv RANGE_BYTES=1048576 COUNT=0 taskset -c 0 \
  wrk -t1 -c32 -d15s -s "$BENCH/lua/range.lua" http://127.0.0.1:18050/ > /tmp/rv.wrk
wait $!
grep -E "Requests/sec|Transfer" /tmp/rv.wrk
cycles=$(awk -F, '$3 == "cycles" { print $1 }' /tmp/rv.perf)
cpu_ms=$(awk -F, '$3 == "task-clock" { print $1 }' /tmp/rv.perf)
mbps=$(sed -n 's/.*"mbps":\([0-9.]*\).*/\1/p' /tmp/rv.wrk)
awk -v c="$cycles" -v t="$cpu_ms" -v m="$mbps" 'BEGIN { printf "edge: %.2f CPUs, %.0f cycles per KiB served\n", t / 14000, c / (m * 1e6 / 1024 * 14) }'
kill $pid; wait $pid || true
