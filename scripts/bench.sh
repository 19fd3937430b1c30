#!/usr/bin/env bash
# Run a benchmark suite against the embedded, in-process engine (nothing to install or start) and write a report to
# latency-reports/out/<suite>-<timestamp>/: report.html (offline, with charts), summary.md, summary.json, the raw
# .hlog interval logs and .hgrm percentile distributions, and environment.txt.
#
# Usage: scripts/bench.sh [SUITE] [--repeat N] [--out DIR] [--peak RECORDS_PER_S] [--jmh-json FILE] [--quick]
#   SUITE       quick (default, under 90 s), engine (the full engine sweep), latency, lag, shards (one writer
#               thread per partition against sharded writers), jmh-smoke, a suite .properties file
#               (see docs/benchmarks.md), or vs-kafka: the same workloads with Kafka's Java client against a
#               loglab broker and Apache Kafka (both started here; --quick for a first look, --only W1,W2 for
#               some workloads; repeat default 3), replication or replication-quick: replication factor
#               1, 2, 3 x acks 1 and all on an embedded cluster (N nodes in this JVM, Aeron UDP on loopback),
#               replication-client: replication factor 1 and 3 through Kafka's Java client against three
#               loglab brokers on an embedded cluster (--quick for a first look; repeat default 3),
#               vs-kafka-cluster: those workloads against three loglab nodes and three Apache Kafka nodes, each
#               node a JVM of its own, all started here (--quick, --only W1,W2, --repeat N as for vs-kafka)
#   --repeat N  run every configuration N times, interleaved (A B C A B C); reports give median and min-max
#   --out DIR   parent directory of the report (default latency-reports/out)
#   --peak R    peak records/s for the partition-count recommendation (default 1000000)
# Environment: LOGLAB_BENCH_JAVA_OPTS adds JVM flags (default -Xms2g -Xmx2g).
set -euo pipefail
self="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
root="$(dirname "$(dirname "$self")")"
usage() { sed -n '2,20p' "$self" | sed 's/^# \{0,1\}//'; }

suite="quick"
out="$root/latency-reports/out"
args=()
vs_args=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        -h|--help) usage; exit 0 ;;
        --out) [[ $# -ge 2 ]] || { echo "bench.sh: --out needs a value" >&2; exit 2; }
            out="$2"; shift 2 ;;
        --only) [[ $# -ge 2 ]] || { echo "bench.sh: --only needs a value" >&2; exit 2; }
            vs_args+=("$1" "$2"); shift 2 ;;
        --peak|--jmh-json|--repeat)
            [[ $# -ge 2 ]] || { echo "bench.sh: $1 needs a value" >&2; exit 2; }
            args+=("$1" "$2")
            [[ "$1" == "--repeat" ]] && vs_args+=("$1" "$2")
            shift 2 ;;
        --quick) vs_args+=("--quick"); shift ;;
        -*) echo "bench.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
        *) suite="$1"; shift ;;
    esac
done

if [[ "${vs_args[*]:-}" =~ --only && "$suite" != vs-kafka* ]] ||
   [[ "${vs_args[*]:-}" =~ --quick && "$suite" != vs-kafka* && "$suite" != "replication-client" ]]; then
    echo "bench.sh: --quick is for the vs-kafka, vs-kafka-cluster and replication-client suites, --only for" \
        "vs-kafka and vs-kafka-cluster" >&2
    exit 2
fi

source "$root/scripts/lib/harness-jar.sh"

if [[ "$suite" == "vs-kafka" || "$suite" == "vs-kafka-cluster" ]]; then
    source "$root/scripts/lib/vs-kafka.sh"
    if [[ "$suite" == "vs-kafka" ]]; then
        vs_kafka
    else
        vs_kafka_cluster
    fi
    exit 0
fi

if [[ "$suite" == "replication" || "$suite" == "replication-quick" ]]; then
    build_harness_if_stale
    quick=()
    [[ "$suite" == "replication-quick" ]] && quick=(--quick)
    exec java ${LOGLAB_BENCH_JAVA_OPTS:--Xms2g -Xmx2g} -Dloglab.repo="$root" -jar "$harness_jar" replication \
        ${quick[@]+"${quick[@]}"} --out "$out" ${args[@]+"${args[@]}"}
fi

if [[ "$suite" == "replication-client" ]]; then
    build_harness_if_stale
    exec java ${LOGLAB_BENCH_JAVA_OPTS:--Xms2g -Xmx2g} -Dloglab.repo="$root" -jar "$harness_jar" \
        replication-client --out "$out" ${vs_args[@]+"${vs_args[@]}"}
fi

if [[ "$suite" == "jmh-smoke" ]]; then
    mkdir -p "$out"
    json="$(cd "$out" && pwd)/jmh-smoke-$(date +%Y%m%d-%H%M%S).json"
    "$root/scripts/jmh.sh" --smoke -prof gc -rff "$json"
    build_harness_if_stale
    exec java ${LOGLAB_BENCH_JAVA_OPTS:-} -Dloglab.repo="$root" -jar "$harness_jar" jmh-report --suite jmh-smoke --json "$json" --out "$out"
fi

build_harness_if_stale
exec java ${LOGLAB_BENCH_JAVA_OPTS:--Xms2g -Xmx2g} -Dloglab.repo="$root" -jar "$harness_jar" run "$suite" --out "$out" ${args[@]+"${args[@]}"}
