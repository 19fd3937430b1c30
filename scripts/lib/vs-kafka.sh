# Sourced by bench.sh for 'bench.sh vs-kafka' and 'bench.sh vs-kafka-cluster': start loglab and Apache Kafka side by
# side on loopback (one broker each, or three nodes each), with the same JVM heap and collector and both leaving flush
# to the OS (Kafka's default), run the comparison with Kafka's Java client against both, then stop what was started. Expects $root, $out, and vs_args (the harness's
# vs-kafka options: --repeat N, --quick).

vs_kafka() {
    local port="${LOGLAB_VS_PORT:-29092}"
    local jvm="-Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20"
    local peer_home="${LOGLAB_PEER_HOME:-${TMPDIR:-/tmp}/loglab-kafka-peer}"
    local peer_port="${LOGLAB_PEER_PORT:-39092}"
    # Global, not local: the EXIT trap runs after this function has returned.
    vs_data="$(mktemp -d "${TMPDIR:-/tmp}/loglab-vs-kafka.XXXXXX")"
    vs_broker_pid=""
    vs_started_peer=""
    trap vs_kafka_cleanup EXIT

    if ! "$root/scripts/peer-kafka.sh" status 2>/dev/null | grep -q '^peer Kafka runs'; then
        vs_started_peer=1
    fi
    "$root/scripts/peer-kafka.sh" start >&2

    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "bench.sh vs-kafka: something already listens on 127.0.0.1:$port; set LOGLAB_VS_PORT" >&2
        exit 1
    fi
    # The group settings the peer runs with (scripts/peer-kafka.sh writes them into its server.properties).
    grep -E '^(group\.initial\.rebalance\.delay\.ms|group\.(min|max)\.session\.timeout\.ms)=' \
        "$peer_home/server.properties" > "$vs_data.properties" || true
    echo "bench.sh vs-kafka: starting a loglab broker on 127.0.0.1:$port (data in $vs_data)..." >&2
    LOGLAB_JAVA_OPTS="$jvm" "$root/scripts/loglab" broker --dir "$vs_data" --port "$port" \
        --config "$vs_data.properties" > "$vs_data.log" 2>&1 &
    vs_broker_pid=$!
    for _ in $(seq 1 120); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            break
        fi
        if ! kill -0 "$vs_broker_pid" 2>/dev/null; then
            echo "bench.sh vs-kafka: the loglab broker did not start:" >&2
            cat "$vs_data.log" >&2
            exit 1
        fi
        sleep 0.5
    done

    build_harness_if_stale
    java ${LOGLAB_BENCH_JAVA_OPTS:--Xms1g -Xmx1g} -Dloglab.repo="$root" -jar "$harness_jar" vs-kafka \
        --loglab "127.0.0.1:$port" --kafka "127.0.0.1:$peer_port" \
        --loglab-setup "loglab broker (scripts/loglab broker), one network thread, writer threads one per core, flush=os, group settings as the peer's ($(tr '\n' ' ' < "$vs_data.properties" | sed 's/ $//')); JVM $jvm" \
        --kafka-setup "Apache Kafka $(ls "$peer_home/libs" | sed -n 's/^kafka_2.13-\(.*\)\.jar$/\1/p' | head -1), one KRaft node (scripts/peer-kafka.sh), Kafka's defaults (flush left to the OS); JVM -Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20" \
        --kafka-libs "$peer_home/libs" --kafka-log4j "$root/scripts/peer-kafka/log4j2.properties" \
        --out "$out" ${vs_args[@]+"${vs_args[@]}"}
}

vs_kafka_cleanup() {
    if [[ -n "${vs_broker_pid:-}" ]] && kill -0 "$vs_broker_pid" 2>/dev/null; then
        kill "$vs_broker_pid" 2>/dev/null || true
        wait "$vs_broker_pid" 2>/dev/null || true
    fi
    rm -rf "${vs_data:?}" "${vs_data}.log" "${vs_data}.properties"
    if [[ -n "${vs_started_peer:-}" ]]; then
        "$root/scripts/peer-kafka.sh" stop >&2 || true
    fi
}

# 'bench.sh vs-kafka-cluster': three loglab nodes (`loglab cluster start`, each its own JVM) and three Apache Kafka
# nodes (scripts/peer-kafka.sh --nodes 3), side by side on loopback, each node with Kafka's broker JVM defaults and
# flush left to the OS; the cluster suite through Kafka's Java client against both; then what was started is stopped.
vs_kafka_cluster() {
    local base="${LOGLAB_VS_CLUSTER_PORT:-29192}"
    local peer_home="${LOGLAB_PEER_HOME:-${TMPDIR:-/tmp}/loglab-kafka-peer}"
    local peer_port="${LOGLAB_PEER_PORT:-39092}"
    # Global, not local: the EXIT trap runs after this function has returned.
    vs_cluster="$(mktemp -d "${TMPDIR:-/tmp}/loglab-vs-kafka-cluster.XXXXXX")"
    vs_started_peer=""
    trap vs_kafka_cluster_cleanup EXIT

    if ! "$root/scripts/peer-kafka.sh" status --nodes 3 2>/dev/null | grep -q '^peer Kafka runs'; then
        vs_started_peer=1
    fi
    "$root/scripts/peer-kafka.sh" start --nodes 3 >&2
    echo "bench.sh vs-kafka-cluster: starting three loglab nodes on 127.0.0.1:$base-$((base + 2)) (in $vs_cluster)..." >&2
    "$root/scripts/loglab" cluster start --dir "$vs_cluster/cluster" --nodes 3 --base-port "$base" >&2

    build_harness_if_stale
    java ${LOGLAB_BENCH_JAVA_OPTS:--Xms1g -Xmx1g} -Dloglab.repo="$root" -jar "$harness_jar" vs-kafka --suite cluster \
        --loglab "127.0.0.1:$base,127.0.0.1:$((base + 1)),127.0.0.1:$((base + 2))" \
        --kafka "127.0.0.1:$((peer_port + 100)),127.0.0.1:$((peer_port + 200)),127.0.0.1:$((peer_port + 300))" \
        --loglab-setup "three loglab nodes (scripts/loglab cluster start), each a JVM of its own with its media driver (SHARED threading, backoff idle), controller quorum member (Aeron Cluster) and broker; one writer thread per node, ISR commit, flush=os; JVM -Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20" \
        --kafka-setup "Apache Kafka $(ls "$peer_home/libs" | sed -n 's/^kafka_2.13-\(.*\)\.jar$/\1/p' | head -1), three KRaft nodes, each broker and controller (scripts/peer-kafka.sh --nodes 3), Kafka's defaults (flush left to the OS); JVM -Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20" \
        --out "$out" ${vs_args[@]+"${vs_args[@]}"}
}

vs_kafka_cluster_cleanup() {
    if [[ -d "${vs_cluster:-}/cluster" ]]; then
        "$root/scripts/loglab" cluster stop --dir "$vs_cluster/cluster" >&2 || true
    fi
    rm -rf "${vs_cluster:?}"
    if [[ -n "${vs_started_peer:-}" ]]; then
        "$root/scripts/peer-kafka.sh" stop --nodes 3 >&2 || true
    fi
}
