#!/usr/bin/env bash
# The command-line double beside Postfix's C smtp-sink, both driven by Postfix's smtp-source in
# the same run: throughput with a new connection per message and with reused connections (smtp-source
# -d), lost messages (files in the folder against messages sent), and resident memory (plus the
# double's heap after a full GC) at each message count of -n, in one process per server.
#
#   benchmarks/cli-vs-smtp-sink.sh                    # 3 rounds; 10,000 messages a throughput run;
#                                                     # memory at 10,000 and 100,000 messages
#   benchmarks/cli-vs-smtp-sink.sh -t 2000 -w 1 -n 1000,5000 -r 1   # a quick check
#
# Options:
#   -r N        rounds of the throughput runs (default 3); medians are printed
#   -t N        messages per throughput run (default 10000). Each server process gets 2 + W runs,
#               all reported: the first right after its start, the second (a JVM still compiles
#               then: with new connections the double used twice the user CPU per message of
#               the later runs), and W more at steady state, as a long-running service runs
#   -w N        steady-state runs per server process, after the first two (default 3)
#   -n LIST     message counts at which memory is recorded, ascending (default 10000,100000)
#   -s N        parallel sessions of smtp-source (default 50)
#   -l N        message payload in octets, smtp-source -l (default 10240)
#   -k DIR      keep the work folder here (default: a temporary folder, removed at the end)
#   -h          this help
#
# The double runs as `java -jar core/target/smtp-double-core-*.jar --port P --mailbox DIR`
# (JAVA_OPTS adds JVM options), smtp-sink as `smtp-sink -u nobody -d DIR/%H%M%S. 127.0.0.1:P 1024`
# (one file per message, as the double's mailbox). The double also writes transcript.log, which
# holds every message's lines once more; smtp-sink writes no transcript. Before each run the file
# system is synced, so that no run pays for writing back the one before. The throughput runs'
# folders are removed together after the last of them (about 10 GiB for 3 rounds of 5 × 10,000
# messages), not between runs: on ext4, for a minute or more after thousands of files are deleted,
# creating files is up to three times slower (it skips the inodes freed last).
#
# Needs smtp-source and smtp-sink: when missing, installs Debian's postfix package
# (non-interactively, with "No configuration" and without starting the mail system; needs root or
# sudo). Builds the jar when core/target has none (mvn package -pl core, tests skipped, nothing
# installed). Loopback only; every run is bounded by a timeout.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

rounds=3
tp_count=10000
steady_runs=3
mem_counts="10000,100000"
sessions=50
length=10240
keep=""

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    -r) rounds="$2"; shift 2 ;;
    -t) tp_count="$2"; shift 2 ;;
    -w) steady_runs="$2"; shift 2 ;;
    -n) mem_counts="$2"; shift 2 ;;
    -s) sessions="$2"; shift 2 ;;
    -l) length="$2"; shift 2 ;;
    -k) keep="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option $1 (see -h)" >&2; exit 2 ;;
  esac
done

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo > /dev/null; then sudo -n "$@"; else
    echo "need root or sudo to install postfix" >&2; return 1
  fi
}

find_postfix_tool() { # prints the path of smtp-source or smtp-sink, or nothing
  command -v "$1" 2> /dev/null || { [ -x "/usr/sbin/$1" ] && echo "/usr/sbin/$1"; } || true
}

install_postfix() {
  echo "installing Debian's postfix package for smtp-source and smtp-sink (the mail system is not started)" >&2
  echo "postfix postfix/main_mailer_type select No configuration" | as_root debconf-set-selections
  # keep the package's scripts from starting the mail system: a policy-rc.d that refuses, for the
  # time of the install only (one that exists already is left alone)
  local policy=/usr/sbin/policy-rc.d added=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" > /dev/null
    as_root chmod 755 "$policy"
    added=1
  fi
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends postfix > /dev/null
  if [ "$added" = 1 ]; then as_root rm -f "$policy"; fi
}

source_bin=$(find_postfix_tool smtp-source)
sink_bin=$(find_postfix_tool smtp-sink)
if [ -z "$source_bin" ] || [ -z "$sink_bin" ]; then
  install_postfix
  source_bin=$(find_postfix_tool smtp-source)
  sink_bin=$(find_postfix_tool smtp-sink)
fi
[ -n "$source_bin" ] && [ -n "$sink_bin" ] || { echo "smtp-source or smtp-sink still missing" >&2; exit 1; }

jar=$(ls "$root"/core/target/smtp-double-core-*.jar 2> /dev/null | grep -v -e '-sources' -e '-javadoc' -e '-tests' | head -n 1 || true)
if [ -z "$jar" ]; then
  echo "building the double's jar (mvn package -pl core, tests skipped)" >&2
  (cd "$root" && mvn -q -B -DskipTests package -pl core)
  jar=$(ls "$root"/core/target/smtp-double-core-*.jar | grep -v -e '-sources' -e '-javadoc' -e '-tests' | head -n 1)
fi
command -v jcmd > /dev/null || echo "note: no jcmd: the double's heap after a full GC is not recorded" >&2

if [ -n "$keep" ]; then work="$keep"; mkdir -p "$work"; else work=$(mktemp -d -t cli-vs-sink.XXXXXX); fi
chmod 755 "$work" # smtp-sink writes as nobody: it must reach its folder
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -KILL "$server_pid" 2> /dev/null || true; fi
  if [ -z "$keep" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# start_server TARGET DIR: starts it listening on 127.0.0.1; sets server_pid and port
start_server() {
  local target=$1 dir=$2 i
  rm -rf "$dir"
  mkdir -p "$dir"
  chmod 755 "$dir"
  case $target in
    smtp-double)
      # shellcheck disable=SC2086
      java ${JAVA_OPTS:-} -jar "$jar" --port 0 --mailbox "$dir/mail" > "$dir/server.out" 2> "$dir/server.err" &
      server_pid=$!
      for ((i = 0; i < 300; i++)); do
        port=$(sed -n 's/^smtp-double listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$dir/server.out" | head -n 1)
        [ -n "$port" ] && return 0
        sleep 0.1
      done
      echo "the double did not start: $(head -c 300 "$dir/server.err")" >&2; exit 1 ;;
    smtp-sink)
      mkdir -p "$dir/mail"
      chmod 777 "$dir/mail"
      port=$(free_port)
      # -u: it drops root's privileges to this user once listening; -m: concurrent sessions
      "$sink_bin" -u nobody -m 1024 -d "$dir/mail/%H%M%S." "127.0.0.1:$port" 1024 > "$dir/server.out" 2> "$dir/server.err" &
      server_pid=$!
      for ((i = 0; i < 100; i++)); do
        if python3 -c "import socket,sys; s=socket.create_connection(('127.0.0.1',$port),1); s.recv(100); s.close()" 2> /dev/null; then
          return 0
        fi
        sleep 0.1
      done
      echo "smtp-sink did not start: $(head -c 300 "$dir/server.err")" >&2; exit 1 ;;
  esac
}

stop_server() {
  [ -n "$server_pid" ] || return 0
  kill -TERM "$server_pid" 2> /dev/null || true
  timeout 600 tail --pid="$server_pid" -f /dev/null || kill -KILL "$server_pid" 2> /dev/null || true
  wait "$server_pid" 2> /dev/null || true
  server_pid=""
}

# drive COUNT REUSE(0|1): smtp-source against $port; prints the seconds it took
drive() {
  local count=$1 reuse=$2 start end
  local args=(-s "$sessions" -m "$count" -l "$length" -f sender@example.test -t rcpt@example.test -M client.test)
  [ "$reuse" = 1 ] && args+=(-d)
  start=$(date +%s.%N)
  timeout 1800 "$source_bin" "${args[@]}" "127.0.0.1:$port" || echo "smtp-source exited with status $?" >&2
  end=$(date +%s.%N)
  echo "$start $end" | awk '{ printf "%.3f", $2 - $1 }'
}

# files TARGET DIR: the number of message files the server wrote
files() {
  case $1 in
    smtp-double) find "$2/mail" -maxdepth 1 -name '*.eml' | wc -l ;;
    smtp-sink) find "$2/mail" -type f | wc -l ;;
  esac
}

rss_mib() { # resident memory of a running process, or "gone" when it is no longer there
  local kib
  kib=$(awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2> /dev/null || true)
  if [ -n "$kib" ]; then echo $((kib / 1024)); else echo "gone"; fi
}

heap_after_gc_kib() { # the double's heap used right after a full GC
  command -v jcmd > /dev/null || { echo "-"; return; }
  jcmd "$1" GC.run > /dev/null 2>&1 || { echo "?"; return; }
  jcmd "$1" GC.heap_info 2> /dev/null | grep -o 'used [0-9]*K' | head -n 1 | tr -dc '0-9'
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "?"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

results="$work/results.txt"
: > "$results"
echo "# smtp-source -s $sessions -l $length; $tp_count messages a throughput run; $rounds round(s)"
echo "# double: $(basename "$jar"), $(java -version 2>&1 | head -n 1); $(uname -sr); $(nproc) cores; $(date -u +%FT%TZ)"
echo
echo "| round | connections | target | run | seconds | msg/s | lost | RSS after (MiB) |"
echo "|---:|---|---|---|---:|---:|---:|---:|"
for ((round = 1; round <= rounds; round++)); do
  for mode in new reused; do
    reuse=0; [ "$mode" = reused ] && reuse=1
    # rotate which server goes first from round to round
    if ((round % 2)); then order="smtp-double smtp-sink"; else order="smtp-sink smtp-double"; fi
    for target in $order; do
      dir="$work/$target-$mode-$round"
      start_server "$target" "$dir"
      # runs on one process: the first right after the start, the second while the JIT still
      # compiles, then the steady ones, as a long-running service runs
      sent=0
      runs="first second"
      for ((i = 0; i < steady_runs; i++)); do runs="$runs steady"; done
      for run in $runs; do
        sync # the last run's files are written back before this one starts, not during it
        seconds=$(drive "$tp_count" "$reuse")
        sent=$((sent + tp_count))
        sleep 0.5 # let the last files land (the double's are written before each 250)
        written=$(files "$target" "$dir")
        rss=$(rss_mib "$server_pid")
        rate=$(awk -v n="$tp_count" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')
        lost=$((sent - written))
        echo "$mode-$run $target $rate $lost $round" >> "$results"
        echo "| $round | $mode | $target | $run $tp_count | $seconds | $rate | $lost | $rss |"
      done
      stop_server
      # the folder stays until the throughput runs are over: right after thousands of files are
      # deleted, ext4 creates files up to three times slower for a while (it skips inodes freed in
      # the last seconds), which would slow down whichever server runs next
    done
  done
done

echo
echo "Medians over $rounds round(s):"
echo
echo "| connections | run | smtp-double msg/s | smtp-sink -d msg/s | double / sink | lost (double, sink) |"
echo "|---|---|---:|---:|---:|---|"
lost_in_all() { # TARGET MODE: messages lost by every process of the mode, all rounds
  awk -v t="$1" -v m="$2-" '$2 == t && index($1, m) == 1 { last[$5] = $4 } END { for (r in last) n += last[r]; print n + 0 }' "$results"
}
for mode in new reused; do
  runs="first second"; [ "$steady_runs" -gt 0 ] && runs="$runs steady"
  for run in $runs; do
    key="$mode-$run"
    d=$(awk -v m="$key" '$1 == m && $2 == "smtp-double" { print $3 }' "$results" | median)
    s=$(awk -v m="$key" '$1 == m && $2 == "smtp-sink" { print $3 }' "$results" | median)
    # lost is counted per process, all its runs so far: the last run of each round has the total
    ld=$(lost_in_all smtp-double "$mode")
    ls=$(lost_in_all smtp-sink "$mode")
    ratio=$(awk -v d="$d" -v s="$s" 'BEGIN { if (s > 0) printf "%.2f×", d / s; else print "?" }')
    case $run in
      first) label="first $tp_count after the start" ;;
      second) label="second $tp_count (the JIT still compiling)" ;;
      steady) label="steady state: $steady_runs × $tp_count after $((2 * tp_count)), median" ;;
    esac
    echo "| $mode | $label | $d | $s | $ratio | $ld, $ls |"
  done
done

rm -rf "$work"/smtp-double-* "$work"/smtp-sink-*

echo
echo "Memory: one process per server, new connections, recorded after each count:"
echo
echo "| target | messages | lost | RSS (MiB) | heap used after full GC (MiB) |"
echo "|---|---:|---:|---:|---:|"
for target in smtp-double smtp-sink; do
  dir="$work/$target-memory"
  start_server "$target" "$dir"
  sent=0
  for count in ${mem_counts//,/ }; do
    drive $((count - sent)) 0 > /dev/null
    sent=$count
    sleep 0.5
    written=$(files "$target" "$dir")
    rss=$(rss_mib "$server_pid")
    if [ "$target" = smtp-double ]; then
      heap=$(heap_after_gc_kib "$server_pid")
      heap=$(awk -v h="$heap" 'BEGIN { if (h ~ /^[0-9]+$/) printf "%.1f", h / 1024; else print h }')
    else
      heap="-"
    fi
    echo "| $target | $count | $((count - written)) | $rss | $heap |"
  done
  stop_server
  rm -rf "$dir"
done
