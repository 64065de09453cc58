#!/usr/bin/env bash
# Origin-resilience measurements (issue 4), on the shared harness's corpus and origin:
#  1. hit latency under a sick origin: paced hits on cached objects while a stream of misses goes to an origin
#     that answers after 5 s, against the same load with a healthy origin; alternating, RUNS times;
#  2. serving stale: objects stored with a 2 s TTL (and stale-if-error), the origin stopped, then a run over
#     them: the share answered 200.
#
#   benchmarks/load/sick-origin.sh            # RUNS=3 DURATION=20
# Cachalot runs pinned to PROXY_CPUS (1); wrk and the origins to CLIENT_CPUS (0). Results on stdout (markdown).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHARED_BENCH=${SHARED_BENCH:-$ROOT/../shared/bench}
BENCH_WORK=${BENCH_WORK:-${TMPDIR:-/tmp}/cachalot-bench}
PORT=${CACHALOT_PORT:-18040}
RUNS=${RUNS:-3}
DURATION=${DURATION:-20}
SICK_MS=${SICK_MS:-5000}
HIT_CONNS=${HIT_CONNS:-16}
HIT_THINK_MS=${HIT_THINK_MS:-1}
MISS_CONNS=${MISS_CONNS:-128}
MISS_THINK_MS=${MISS_THINK_MS:-1000}
STALE_PORT=${STALE_PORT:-18091}
export BENCH="$BENCH_WORK"

if [ ! -x "$BENCH_WORK/compare.sh" ]; then
  mkdir -p "$BENCH_WORK"; cp -r "$SHARED_BENCH"/. "$BENCH_WORK"/; chmod -R u+w "$BENCH_WORK"
fi
(cd "$BENCH_WORK" && ./setup.sh >&2)
(cd "$ROOT" && mvn -q -DskipTests package)
cp "$ROOT/benchmarks/load/lua/paced-list.lua" "$BENCH_WORK/lua/"
export CACHALOT_JAVA_OPTS="${CACHALOT_JAVA_OPTS:--Xms2g -Xmx2g -XX:+UseParallelGC}"

pid=; stale_origin=
cleanup() {
  [ -z "$pid" ] || { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
  [ -z "$stale_origin" ] || { kill "$stale_origin" 2>/dev/null || true; wait "$stale_origin" 2>/dev/null || true; }
}
trap cleanup EXIT

start_cachalot() { # ORIGIN_URL
  taskset -c 1 "$ROOT/bin/cachalot" edge --listen "127.0.0.1:$PORT" --admin "127.0.0.1:$((PORT + 1))" \
    --origin "$1" --memory-size 512MiB --set server.ioThreads=1 --set origin.firstByteTimeout=30s \
    >"$BENCH_WORK/cachalot-sick.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$((PORT + 1))/readyz" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$BENCH_WORK/cachalot-sick.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "cachalot did not become ready" >&2; exit 1
}
stop_cachalot() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }

wrk_json() { # CONNS DURATION VAR=VAL...
  local conns="$1" dur="$2"; shift 2
  env "$@" taskset -c 0 wrk -t1 -c"$conns" -d"${dur}s" --timeout 30s -s "$BENCH_WORK/lua/paced-list.lua" \
    "http://127.0.0.1:$PORT/" | grep '^WRKJSON ' | cut -d' ' -f2-
}
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }

(cd "$BENCH_WORK" && ./origin.sh start >&2)
head -n 1000 "$BENCH_WORK/lists/zipf.txt" | sort -u >"$BENCH_WORK/lists/sick-misses.txt"

# ---- 1. hit latency, healthy vs sick origin -----------------------------------------------------------------
start_cachalot "http://127.0.0.1:18080"
for _ in 1 2; do wrk_json 8 3 URL_LIST="$BENCH_WORK/lists/hot.txt" >/dev/null; done
echo "| run | origin | hit req/s | hit p50 ms | hit p99 ms | hit p99.9 ms | misses answered | misses not 200 |"
echo "|---|---|---|---|---|---|---|---|"
for run in $(seq 1 "$RUNS"); do
  for mode in healthy sick; do
    delay=0; [ "$mode" = sick ] && delay=$SICK_MS
    miss_out=$(mktemp)
    ( wrk_json "$MISS_CONNS" $((DURATION + 2)) URL_LIST="$BENCH_WORK/lists/sick-misses.txt" \
        THINK_MS="$MISS_THINK_MS" SUFFIX="?delay_ms=$delay" UNIQUE=1 >"$miss_out" ) &
    mpid=$!
    sleep 1 # let the misses pile up before measuring hits
    hits=$(wrk_json "$HIT_CONNS" "$DURATION" URL_LIST="$BENCH_WORK/lists/hot.txt" THINK_MS="$HIT_THINK_MS")
    wait "$mpid"
    misses=$(cat "$miss_out"); rm -f "$miss_out"
    echo "| $run | $mode | $(field "$hits" rps) | $(field "$hits" p50_ms) | $(field "$hits" p99_ms) |" \
      "$(field "$hits" p999_ms) | $(field "$misses" requests) | $(field "$misses" sother) |"
  done
done
stop_cachalot

# ---- 2. serving stale with the origin down --------------------------------------------------------------------
conf="$BENCH_WORK/run/stale-origin.nginx.conf"
mkdir -p "$BENCH_WORK/run/stale-origin"
cat >"$conf" <<NGINX
worker_processes 1;
pid $BENCH_WORK/run/stale-origin/nginx.pid;
error_log $BENCH_WORK/run/stale-origin/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$STALE_PORT;
    root $BENCH_WORK/corpus;
    etag on;
    add_header Cache-Control "public, max-age=2, stale-if-error=86400";
  }
}
NGINX
taskset -c 0 nginx -c "$conf" -p "$BENCH_WORK/run/stale-origin" -g 'daemon off;' &
stale_origin=$!
for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$STALE_PORT/hot/h000.jpg" && break; sleep 0.1; done
start_cachalot "http://127.0.0.1:$STALE_PORT"
while read -r p; do curl -fs -o /dev/null "http://127.0.0.1:$PORT$p"; done <"$BENCH_WORK/lists/sick-misses.txt"
kill "$stale_origin"; wait "$stale_origin" 2>/dev/null || true; stale_origin=
sleep 3 # every stored object is now past its 2 s TTL
sample=$(curl -s -D - -o /dev/null "http://127.0.0.1:$PORT$(head -n 1 "$BENCH_WORK/lists/sick-misses.txt")" | tr -d '\r' | grep -i '^cache-status')
stale=$(wrk_json 16 "$DURATION" URL_LIST="$BENCH_WORK/lists/sick-misses.txt" THINK_MS=0)
echo
echo "Origin down, $(wc -l <"$BENCH_WORK/lists/sick-misses.txt") stale objects: $(field "$stale" requests) requests," \
  "$(field "$stale" s200) answered 200, $(field "$stale" sother) other; p99 $(field "$stale" p99_ms) ms. Sample: $sample"
