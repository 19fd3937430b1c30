#!/usr/bin/env bash
# The main job until the benchmark suites land: create a topic in a fresh directory, produce generated records
# through the engine (embedded, in-process: nothing to install or start), read some back, verify every batch, dump a
# segment, and write what happened to a report file.
# Usage: scripts/demo.sh [--records N] [--size BYTES] [--partitions P] [--flush every|interval:MS|os] [--out DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
records=2000000
size=100
partitions=3
flush=os
out=""
usage() { sed -n '2,5p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --records) records="${2:?--records needs a value}"; shift 2 ;;
        --size) size="${2:?--size needs a value}"; shift 2 ;;
        --partitions) partitions="${2:?--partitions needs a value}"; shift 2 ;;
        --flush) flush="${2:?--flush needs a value}"; shift 2 ;;
        --out) out="${2:?--out needs a value}"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "demo.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
    esac
done
out="${out:-$root/demo-out/$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
data="$out/data"
report="$out/report.txt"
loglab="$root/scripts/loglab"

{
    echo "# loglab demo $(date -Is)"
    echo "records=$records size=$size partitions=$partitions flush=$flush"
    echo
    echo "\$ loglab topic create"
    "$loglab" topic create --dir "$data" --topic demo --partitions "$partitions" --segment-bytes $((64 * 1024 * 1024)) --flush "$flush"
    echo
    echo "\$ loglab produce --count $records --size $size --keys 1000"
    "$loglab" produce --dir "$data" --topic demo --count "$records" --size "$size" --keys 1000 2>&1 | tail -n $((partitions + 1))
    echo
    echo "\$ loglab consume --partition 0 --max 5"
    "$loglab" consume --dir "$data" --topic demo --partition 0 --max 5 | cut -c1-80
    echo
    echo "\$ loglab topic describe"
    "$loglab" topic describe --dir "$data"
    echo
    echo "\$ loglab verify"
    "$loglab" verify --dir "$data"
    echo
    echo "\$ loglab dump (first batches of partition 0)"
    "$loglab" dump --segment "$data/demo/partition-0/00000000000000000000.log" 2>/dev/null | head -n 3
} | tee "$report"
echo
echo "report: $report (data in $data)"
