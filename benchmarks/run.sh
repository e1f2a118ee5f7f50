#!/usr/bin/env bash
# Runs the benchmarks side by side: every scenario for every target, each pair in a fresh JVM,
# targets in rotating order from round to round, then prints a table of medians and ratios.
# Needs only Java 17+ and Maven; builds what it needs from this checkout (nothing is installed
# into ~/.m2).
#
#   benchmarks/run.sh                      # 3 rounds of everything (about 15 minutes)
#   benchmarks/run.sh -q                   # quick: shorter phases, 1 round (about 4 minutes)
#   benchmarks/run.sh -r 5 -s tp-1k-1,tp-1m-1 -t smtp-double,minimal
#   benchmarks/run.sh --jfr /tmp/jfr -s tp-1k-1,tp-1m-8 -t smtp-double   # also profile smtp-double
#
# Options:
#   -r N          rounds (default 3; 1 with -q)
#   -s LIST       scenarios, comma separated (default all):
#                 lifecycle junit junit-jakarta tp-1k-1 tp-1k-8 tp-1m-1 tp-1m-8 jakarta connections memory
#                 memory-sessions scripted
#   -t LIST       targets, comma separated (default all): smtp-double greenmail wiser minimal;
#                 also minimal-virtual (not in the default list): the minimal responder on virtual
#                 threads, as smtp-double runs on Java 21+ (skipped on Java 17)
#                 (the scripted scenario always runs smtp-double without and with 50 rules;
#                 junit-jakarta runs no-server, smtp-double-shared and smtp-double)
#   -q            quick mode: shorter warm-up and measurement, for checking the harness
#   --jvm NAME    JVM settings (the same for every target): 'default' (G1, -Xms2g -Xmx2g, no
#                 pre-touch: 1 MiB heap regions, as a default test JVM on an 8 GB machine has) or
#                 'tuned' (G1, 1 GiB, 4 GiB for 1 MiB messages, pre-touched: 2 MiB regions, kinder
#                 to allocations of 512 KiB and more). The memory scenarios use the serial collector
#                 in both (exact 'used after full GC').
#   --java DIR    the Java home to run the benchmarks with (default: 'java' on the PATH), e.g.
#                 /usr/lib/jvm/temurin-25-jdk-amd64 for virtual session threads
#   --jfr DIR     record smtp-double's runs with JFR into DIR and summarise each recording
#                 (JFR_JAVA_OPTS="-Dbench.seconds=8" lengthens the throughput phases for more samples)
#   --no-build    use the classes already built
#   -h            this help
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

rounds=""
scenarios="lifecycle,junit,junit-jakarta,tp-1k-1,tp-1k-8,tp-1m-1,tp-1m-8,jakarta,connections,memory,memory-sessions,scripted"
targets="smtp-double,greenmail,wiser,minimal"
quick=""
jfr_dir=""
build=1
jvm=default
java_cmd=java

while [ $# -gt 0 ]; do
  case "$1" in
    -r) rounds="$2"; shift 2 ;;
    -s) scenarios="$2"; shift 2 ;;
    -t) targets="$2"; shift 2 ;;
    -q|--quick) quick="--quick"; shift ;;
    --jfr) jfr_dir="$2"; shift 2 ;;
    --jvm) jvm="$2"; shift 2 ;;
    --java) java_cmd="$2/bin/java"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,/^set /{/^set /d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (try -h)" >&2; exit 2 ;;
  esac
done
case "$jvm" in
  default|tuned) ;;
  *) echo "unknown JVM settings: $jvm (default or tuned)" >&2; exit 2 ;;
esac
if [ -z "$rounds" ]; then
  if [ -n "$quick" ]; then rounds=1; else rounds=3; fi
fi

# ---------------------------------------------------------------- build
profile=""
if [ -f "$root/junit5-extension/pom.xml" ] && grep -q '<module>junit5-extension</module>' "$root/pom.xml"; then
  profile="-Pjunit-overhead"   # compiles the @SmtpServer half of the JUnit-overhead scenario
fi
if [ "$build" = 1 ]; then
  echo "building: mvn -B -q package -pl benchmarks -am $profile (tests compiled, for the test kit, not run; Javadoc and sources skipped)"
  (cd "$root" && mvn -B -q -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
      $profile -pl benchmarks -am package)
fi
cp="$here/target/classes:$(cat "$here/target/classpath.txt")"

out="$here/target/results/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
results="$out/results.tsv"
log="$out/run.log"
: > "$results"
jfr_settings=profile
if [ -n "$jfr_dir" ]; then
  mkdir -p "$jfr_dir"; jfr_dir="$(cd "$jfr_dir" && pwd)"
  # JFR's 'profile' settings, but sampling Java code every 1 ms and native code every 5 ms:
  # the scenarios are short, and 10/20 ms give too few samples to rank methods
  java_home="$("$java_cmd" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.home = //p')"
  if [ -f "$java_home/lib/jfr/profile.jfc" ]; then
    sed -e 's#control="method-sampling-java-interval">[^<]*<#control="method-sampling-java-interval">1 ms<#' \
        -e 's#control="method-sampling-native-interval">[^<]*<#control="method-sampling-native-interval">5 ms<#' \
        "$java_home/lib/jfr/profile.jfc" > "$jfr_dir/bench.jfc"
    jfr_settings="$jfr_dir/bench.jfc"
  fi
fi

IFS=, read -r -a scenario_list <<< "$scenarios"
IFS=, read -r -a target_list <<< "$targets"

jvm_options() {   # per scenario: the same for every target
  case "$1" in
    memory|memory-sessions) echo "-XX:+UseSerialGC -Xms64m -Xmx1g"; return ;;   # exact 'used after full GC'
  esac
  if [ "$jvm" = default ]; then
    # What a test suite's JVM looks like: G1 with a 2 GiB heap, not touched up front. G1 then picks
    # 1 MiB regions, so any single allocation of 512 KiB or more is a humongous object.
    echo "-XX:+UseG1GC -Xms2g -Xmx2g"
    return
  fi
  # tuned: the heap committed and touched up front (-Xms = -Xmx, AlwaysPreTouch), so that the servers
  # that keep what they receive do not pay a young JVM's first-touch page faults inside the
  # measurement; 4 GiB for 1 MiB messages (2 MiB regions: allocations below 1 MiB are not humongous)
  case "$1" in
    tp-1m-*) echo "-XX:+UseG1GC -Xms4g -Xmx4g -XX:+AlwaysPreTouch" ;;    # up to 1 GiB kept per phase
    *) echo "-XX:+UseG1GC -Xms1g -Xmx1g -XX:+AlwaysPreTouch" ;;
  esac
}

cpu="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)"
java_version="$("$java_cmd" -version 2>&1 | head -1)"
region="$("$java_cmd" $(jvm_options tp-1m-1) -XX:+PrintFlagsFinal -version 2>/dev/null | awk '$2 == "G1HeapRegionSize" { print $4 / 1048576 " MiB" }')"
header() {
  echo "machine: $(nproc) cores, ${cpu:-unknown CPU}, $(uname -sr)"
  echo "java:    $java_version ($(command -v "$java_cmd"))"
  echo "jvm:     $jvm settings: $(jvm_options tp-1m-1) (G1 region ${region:-?}); memory scenarios: $(jvm_options memory)"
  echo "commit:  $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$root" diff --quiet 2>/dev/null || echo ' (with local changes)')"
  echo "settings: $rounds round(s)${quick:+, quick mode}; scenarios $scenarios; targets $targets; each scenario x target in a fresh JVM, targets rotated each round"
  echo "$1 $(date -u '+%Y-%m-%d %H:%M:%S UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
}
header "started:" | tee "$log"

failed=0
started=$SECONDS
for ((round = 1; round <= rounds; round++)); do
  for scenario in "${scenario_list[@]}"; do
    if [ "$scenario" = scripted ]; then
      run_targets=(smtp-double smtp-double+50rules)
    elif [ "$scenario" = junit-jakarta ]; then
      run_targets=(no-server smtp-double-shared smtp-double)
    else
      run_targets=("${target_list[@]}")
    fi
    n=${#run_targets[@]}
    for ((i = 0; i < n; i++)); do
      target="${run_targets[$(( (i + round - 1) % n ))]}"   # rotate: each round starts with the next target
      opts="$(jvm_options "$scenario")"
      if [ -n "$jfr_dir" ] && [[ "$target" == smtp-double* ]] && [ "$scenario" != lifecycle ]; then
        opts="$opts -XX:StartFlightRecording=filename=$jfr_dir/$scenario-$target-r$round.jfr,settings=$jfr_settings ${JFR_JAVA_OPTS:-}"
      fi
      printf 'round %d/%d  %-16s %-20s ' "$round" "$rounds" "$scenario" "$target" | tee -a "$log"
      set +e
      # shellcheck disable=SC2086
      timeout 900 "$java_cmd" $opts -cp "$cp" dev.smtpdouble.bench.Main "$scenario" "$target" $quick > "$out/last.out" 2>&1
      status=$?
      set -e
      cat "$out/last.out" >> "$log"
      grep -E '^(RESULT|VALIDATION FAILED|SKIPPED)' "$out/last.out" | sed "s/^/$round\t/" >> "$results" || true
      if [ $status -ne 0 ]; then
        failed=1
        if ! grep -q '^VALIDATION FAILED' "$out/last.out"; then
          printf '%d\tFAILED\t%s\t%s\texit %d, see %s\n' "$round" "$scenario" "$target" "$status" "$log" >> "$results"
        fi
        echo "FAILED (exit $status)"; tail -5 "$out/last.out" | sed 's/^/    /'
      else
        grep -E '^(RESULT|SKIPPED)' "$out/last.out" | awk -F'\t' '{ if ($1 == "SKIPPED") printf "skipped (%s)  ", $4; else printf "%s %s %s  ", $4, $5, $6 }'
        echo
      fi
    done
  done
done
rm -f "$out/last.out"

echo
echo "=== results: medians of $rounds round(s), $(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s ==="
header "finished:"
echo
"$java_cmd" -cp "$cp" dev.smtpdouble.bench.Report "$results" | tee "$out/table.md"
echo
echo "raw results: $results"
echo "full log:    $log"

if [ -n "$jfr_dir" ]; then
  for f in "$jfr_dir"/*.jfr; do
    [ -e "$f" ] || continue
    echo
    echo "=== JFR: $(basename "$f") ==="
    "$java_cmd" -cp "$cp" dev.smtpdouble.bench.JfrTop "$f" 15 | tee "${f%.jfr}.txt"
  done
fi
exit $failed
