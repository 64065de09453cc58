#!/usr/bin/env bash
# Profiles the hit path with JFR: one edge pinned to CPU 1 (metrics and the access log on), hot-small load from wrk
# on CPU 0 for 40 s, recording 30 s; then: jfr print --events jdk.ExecutionSample --stack-depth 64 /tmp/edge2.jfr.
# Needs the harness copy and origin from benchmarks/load/compare.sh (ORIGIN on 127.0.0.1:18080).
set -e
cd "$(dirname "$0")/../.."
rm -f /tmp/edge2.jfr /tmp/prof-access.log
export CACHALOT_JAVA_OPTS="-Xms2g -Xmx2g -XX:+UseParallelGC -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:StartFlightRecording=filename=/tmp/edge2.jfr,settings=profile,delay=6s,duration=30s"
taskset -c 1 bin/cachalot edge --listen 127.0.0.1:18050 --admin 127.0.0.1:18051 --origin http://127.0.0.1:18080 --memory-size 512MiB --set server.ioThreads=1 --set accessLog.target=/tmp/prof-access.log > /tmp/prof-edge.log 2>&1 &
pid=$!
for i in $(seq 1 100); do curl -fs http://127.0.0.1:18051/readyz >/dev/null 2>&1 && break; sleep 0.1; done
for p in $(cat ${BENCH_WORK:-/tmp/cachalot-bench}/lists/hot.txt); do curl -s -o /dev/null http://127.0.0.1:18050$p; done
BENCH=${BENCH_WORK:-/tmp/cachalot-bench} URL_LIST=${BENCH_WORK:-/tmp/cachalot-bench}/lists/hot.txt taskset -c 0 wrk -t1 -c64 -d40s -s ${BENCH_WORK:-/tmp/cachalot-bench}/lua/list.lua http://127.0.0.1:18050/ | grep -E "Requests/sec"
sleep 2
kill $pid; wait $pid || true
