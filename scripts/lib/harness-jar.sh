# Sourced by bench.sh and compare.sh: the harness jar, built when missing or older than its sources.
# Expects $root (the repository root).
harness_jar="$root/latency-reports/target/loglab-latency-reports.jar"

build_harness_if_stale() {
    if [[ ! -f "$harness_jar" ]] || [[ -n "$(find "$root/engine/src/main" "$root/latency-reports/src/main" \
            "$root/transport-aeron/src/main" "$root/replication/src/main" \
            "$root/pom.xml" "$root/engine/pom.xml" "$root/latency-reports/pom.xml" -newer "$harness_jar" -type f \
            -print -quit)" ]]; then
        echo "building the harness (mvn package)..." >&2
        mvn -q -B -f "$root/pom.xml" -pl latency-reports -am package -DskipTests >&2
    fi
}
