#!/usr/bin/env bash
# Run a benchmark suite against the embedded, in-process engine (nothing to install or start) and write a report to
# latency-reports/out/<suite>-<timestamp>/: report.html (offline, with charts), summary.md, summary.json, the raw
# .hlog interval logs and .hgrm percentile distributions, and environment.txt.
#
# Usage: scripts/bench.sh [SUITE] [--out DIR] [--peak RECORDS_PER_S] [--jmh-json FILE]
#   SUITE      quick (default, under 3 minutes), engine (the full engine sweep), latency, lag, jmh-smoke,
#              or the path of a suite .properties file (see docs/benchmarks.md)
#   --out DIR  parent directory of the report (default latency-reports/out)
#   --peak R   peak records/s for the partition-count recommendation (default 1000000)
# Environment: LOGLAB_BENCH_JAVA_OPTS adds JVM flags (default -Xms2g -Xmx2g).
set -euo pipefail
self="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
root="$(dirname "$(dirname "$self")")"
cd "$root"
usage() { sed -n '2,11p' "$self" | sed 's/^# \{0,1\}//'; }

suite="quick"
args=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        -h|--help) usage; exit 0 ;;
        --out|--peak|--jmh-json)
            [[ $# -ge 2 ]] || { echo "bench.sh: $1 needs a value" >&2; exit 2; }
            args+=("$1" "$2"); shift 2 ;;
        -*) echo "bench.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
        *) suite="$1"; shift ;;
    esac
done

jar="$root/latency-reports/target/loglab-latency-reports.jar"
build_if_stale() {
    if [[ ! -f "$jar" ]] || [[ -n "$(find "$root/engine/src/main" "$root/latency-reports/src/main" "$root/pom.xml" \
            "$root/engine/pom.xml" "$root/latency-reports/pom.xml" -newer "$jar" -type f -print -quit)" ]]; then
        echo "building the harness (mvn package)..." >&2
        mvn -q -B -f "$root/pom.xml" -pl latency-reports -am package -DskipTests >&2
    fi
}

if [[ "$suite" == "jmh-smoke" ]]; then
    out="latency-reports/out"
    for ((i = 0; i < ${#args[@]}; i += 2)); do [[ "${args[i]}" == "--out" ]] && out="${args[i+1]}"; done
    mkdir -p "$out"
    json="$out/jmh-smoke-$(date +%Y%m%d-%H%M%S).json"
    "$root/scripts/jmh.sh" --smoke -prof gc -rff "$json"
    build_if_stale
    exec java ${LOGLAB_BENCH_JAVA_OPTS:-} -jar "$jar" jmh-report --suite jmh-smoke --json "$json" --out "$out"
fi

build_if_stale
exec java ${LOGLAB_BENCH_JAVA_OPTS:--Xms2g -Xmx2g} -jar "$jar" run "$suite" "${args[@]}"
