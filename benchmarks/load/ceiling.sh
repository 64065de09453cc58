#!/usr/bin/env bash
# What the box can show at all for range-video: the same wrk range load against targets that are already running
# and warm, alternating, each round once with cold ranges (the harness videos: the proxy reads every byte from
# memory no cache holds) and once with hot ranges (all within the first 1 MiB of one video: the bytes stay in the
# CPU's caches, so the proxy pays only the sending). Prints MB/s and how busy each core was (wrk's on CPU 0, the
# proxy's on CPU 1, from /proc/stat). The hot rate is a ceiling: no way of serving real ranges can beat it here.
#
#   TARGETS="varnish=18020 cachalot=18060" ROUNDS=6 DURATION=4 benchmarks/load/ceiling.sh
#
# Needs the harness copy (compare.sh) with its videos fetched once through every target.
set -euo pipefail
BENCH=${BENCH_WORK:-${TMPDIR:-/tmp}/cachalot-bench}
ROUNDS=${ROUNDS:-6}
DURATION=${DURATION:-4}
[ -n "${TARGETS:-}" ] || { echo "TARGETS: name=port pairs, e.g. TARGETS=\"varnish=18020 cachalot=18060\"" >&2; exit 2; }
hot_list=$(mktemp)
trap 'rm -f "$hot_list"' EXIT
head -n 1 "$BENCH/lists/videos.tsv" | awk -F'\t' '{ print $1 "\t" 1048576 + 4096 }' >"$hot_list"

busy() { # CPU -> "busy total" jiffies
  awk -v c="cpu$1" '$1 == c { b = $2 + $3 + $4 + $7 + $8; print b, b + $5 + $6 + $9 }' /proc/stat
}
one() { # NAME PORT LIST -> "NAME MB/s (wrk core N%, proxy core N%)"
  local b0 t0 b1 t1 c0 u0 c1 u1 out
  read -r b0 t0 < <(busy 0); read -r b1 t1 < <(busy 1)
  out=$(BENCH=$BENCH VIDEO_LIST=$3 RANGE_BYTES=1048576 COUNT=0 taskset -c 0 \
    wrk -t1 -c32 -d"${DURATION}s" -s "$BENCH/lua/range.lua" "http://127.0.0.1:$2/" | grep WRKJSON)
  read -r c0 u0 < <(busy 0); read -r c1 u1 < <(busy 1)
  printf '%s %.0f MB/s (wrk core %d%%, proxy core %d%%)' "$1" "$(sed -n 's/.*"mbps":\([0-9.]*\).*/\1/p' <<<"$out")" \
    $((100 * (c0 - b0) / (u0 - t0))) $((100 * (c1 - b1) / (u1 - t1)))
}

for r in $(seq 1 "$ROUNDS"); do
  line="round $r:"
  for t in $TARGETS; do line="$line  $(one "${t%%=*}" "${t##*=}" "$BENCH/lists/videos.tsv")"; done
  for t in $TARGETS; do line="$line  $(one "${t%%=*}-hot" "${t##*=}" "$hot_list")"; done
  echo "$line"
done
