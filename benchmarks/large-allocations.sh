#!/usr/bin/env bash
# Profiles smtp-double's allocations while it receives 1 MiB messages (tp-1m-1 and tp-1m-8, quick
# mode) under the default JVM settings (G1, 2 GiB heap: 1 MiB regions), recording every allocation
# made outside a thread-local buffer with JFR, and lists them by nearest smtp-double frame. Fails
# when smtp-double allocated 512 KiB or more at once (a humongous object with 1 MiB regions).
# Builds nothing: run benchmarks/run.sh once first (or with --no-build afterwards).
#
#   benchmarks/large-allocations.sh [JAVA_HOME]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
java_cmd="${1:+$1/bin/}java"
cp="$here/target/classes:$(cat "$here/target/classpath.txt")"
out="$here/target/large-allocations"
mkdir -p "$out"
status=0
for scenario in tp-1m-1 tp-1m-8; do
  rm -f "$out/$scenario.jfr"
  "$java_cmd" -XX:+UseG1GC -Xms2g -Xmx2g \
      -XX:StartFlightRecording=filename="$out/$scenario.jfr",settings="$here/large-allocations.jfc" \
      -cp "$cp" dev.smtpdouble.bench.Main "$scenario" smtp-double --quick 2>&1 | grep -E '^(RESULT|VALIDATION)' || true
  echo "=== $scenario"
  "$java_cmd" -cp "$cp" dev.smtpdouble.bench.LargeAllocations "$out/$scenario.jfr" || status=1
done
exit $status
