#!/usr/bin/env bash
# Put several reports side by side in one report.html: the same configurations with ratios to the first, and
# overlaid percentile curves. Configurations are matched by their config hash (the sha in result names), so a
# renamed run still lines up; a name whose settings differ between reports is warned about, naming the settings.
#
# Usage: scripts/compare.sh RUN_A RUN_B [RUN_C ...] [--out DIR]
#   RUN_*      report directories written by scripts/bench.sh (each holds a summary.json)
#   --out DIR  parent directory of the comparison (default latency-reports/out)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
usage() { sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
case "${1:-}" in
    -h|--help) usage; exit 0 ;;
    "") usage >&2; exit 2 ;;
esac
source "$root/scripts/lib/harness-jar.sh"
build_harness_if_stale
exec java -jar "$harness_jar" compare "$@"
