#!/bin/sh
# Builds benchmarks/target/benchmarks.jar if needed and runs JMH with Chronicle Map's JVM flags, in the harness
# JVM and in every fork. Arguments go to JMH, e.g.: benchmarks/run-jmh.sh TierGetPut -p valueSize=8192
# With CLASS=fully.qualified.Main it runs that class from the jar instead (e.g. the TimeToReady tool).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAVA=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
. "$ROOT/bin/jvm-flags.sh"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
[ -f "$JAR" ] || (cd "$ROOT" && mvn -q -DskipTests package -pl benchmarks -am)
if [ -n "${CLASS:-}" ]; then
  # shellcheck disable=SC2086
  exec "$JAVA" $FLAGS -cp "$JAR" "$CLASS" "$@"
fi
# shellcheck disable=SC2086
exec "$JAVA" $FLAGS -jar "$JAR" -jvmArgsAppend "$FLAGS" "$@"
