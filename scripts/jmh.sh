#!/usr/bin/env bash
# Build (when stale) and run the JMH benchmarks, always keeping JMH's JSON result.
set -euo pipefail
caller_dir="$PWD"
cd "$(dirname "${BASH_SOURCE[0]}")/.."

JAR=jmh/target/loglab-benchmarks.jar

usage() {
    cat <<'USAGE'
Usage: scripts/jmh.sh [--smoke] [JMH args...]
       scripts/jmh.sh --help

Builds jmh/target/loglab-benchmarks.jar when it is missing or older than the engine or benchmark sources, then runs
  java -jar jmh/target/loglab-benchmarks.jar [JMH args...] -rf json -rff <file>
and prints where the JSON result went: jmh/results/jmh-<timestamp>.json unless you pass -rff yourself.
Every JMH argument passes through; `-h` after the script's own options shows JMH's.

  --smoke   run every benchmark once with minimal settings (1 fork, no warmup, one 100 ms iteration, one small
            value per parameter) to prove each works; exits non-zero if any benchmark fails. Extra args follow the
            smoke settings: a regex narrows it; a -p adds values to the smoke's (JMH merges them).
  --help    this text.

Environment:
  LOGLAB_BENCH_DIR  base directory for benchmark data (-Dloglab.bench.dir; default java.io.tmpdir). Append
                    benchmarks keep up to about 1.25 GiB there per log; point it at the device under test.
  JAVA              the java to run (default: java on PATH).

Examples:
  scripts/jmh.sh -l                                             # list benchmarks
  scripts/jmh.sh PartitionAppend -p recordSize=100 -prof gc
  scripts/jmh.sh 'LogRead|FileChannelRead' -p target=socket -rff read.json
  scripts/jmh.sh HandoffQueue -tg 2,1                           # two producers, one consumer
  scripts/jmh.sh --smoke
USAGE
}

SMOKE_ARGS=(
    -f 1 -wi 0 -i 1 -r 100ms -foe true
    -p recordSize=100 -p batchBytes=16384 -p flush=os -p window=8
    -p writeBytes=65536 -p maxBytes=65536 -p logBytes=16777216 -p partitions=3
)

smoke=false
args=()
previous=""
for arg in "$@"; do
    case "$arg" in
        --help) usage; exit 0 ;;
        --smoke) smoke=true ;;
        *)
            # A result file named relative to where the user stands, not to the repository root we run from.
            if [[ "$previous" == "-rff" && "$arg" != /* ]]; then
                arg="$caller_dir/$arg"
            fi
            args+=("$arg") ;;
    esac
    previous="$arg"
done

stale() {
    [[ ! -f "$JAR" ]] && return 0
    [[ -n "$(find pom.xml engine/pom.xml broker/pom.xml jmh/pom.xml engine/src/main broker/src/main jmh/src/main \
        -newer "$JAR" -print -quit)" ]]
}

if stale; then
    echo "jmh.sh: building $JAR" >&2
    mvn -q -pl jmh -am package -DskipTests
fi

result_file=""
for ((i = 0; i < ${#args[@]}; i++)); do
    if [[ "${args[$i]}" == "-rff" && $((i + 1)) -lt ${#args[@]} ]]; then
        result_file="${args[$((i + 1))]}"
    fi
done
extra=(-rf json)
if [[ -z "$result_file" ]]; then
    mkdir -p jmh/results
    result_file="jmh/results/jmh-$(date +%Y%m%d-%H%M%S).json"
    extra+=(-rff "$result_file")
fi

java_opts=()
if [[ -n "${LOGLAB_BENCH_DIR:-}" ]]; then
    # Forked benchmark JVMs inherit the launcher's -D options.
    java_opts+=("-Dloglab.bench.dir=$LOGLAB_BENCH_DIR")
fi

run=("${JAVA:-java}" ${java_opts[@]+"${java_opts[@]}"} -jar "$JAR")
if $smoke; then
    run+=("${SMOKE_ARGS[@]}")
fi
run+=(${args[@]+"${args[@]}"} "${extra[@]}")

status=0
"${run[@]}" || status=$?
if [[ -f "$result_file" ]]; then
    echo "jmh.sh: JSON result in $result_file"
fi
if [[ $status -ne 0 ]]; then
    echo "jmh.sh: JMH failed (exit $status)" >&2
fi
exit $status
