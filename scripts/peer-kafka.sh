#!/usr/bin/env bash
# Run a real Apache Kafka 4.4 (one KRaft node, broker and controller, loopback only) beside loglab, for side-by-side
# runs. Kafka's jars come from Maven Central through Maven into the peer's home; nothing is committed or installed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
home="${LOGLAB_PEER_HOME:-${TMPDIR:-/tmp}/loglab-kafka-peer}"
port="${LOGLAB_PEER_PORT:-39092}"
controller_port=$((port + 1))
pid_file="$home/kafka.pid"

usage() {
    cat <<USAGE
Usage: scripts/peer-kafka.sh start|stop|status|--help

  start   fetch Kafka 4.4.0 if needed (Maven Central, into \$LOGLAB_PEER_HOME/libs), format its data directory on
          first use, start one KRaft node on 127.0.0.1:$port and wait until it answers
  stop    stop the node this script started (SIGTERM, then SIGKILL after 30 s); its data stays
  status  say whether it runs and answers

Environment: LOGLAB_PEER_HOME (default \${TMPDIR:-/tmp}/loglab-kafka-peer: jars, data, logs),
LOGLAB_PEER_PORT (default 39092; the controller takes the next port), JAVA (default java).
Kafka's defaults are kept where they matter for comparisons: flush is left to the OS (no fsync per message).
USAGE
}

java_cmd="${JAVA:-java}"
log4j="-Dlog4j2.configurationFile=$root/scripts/peer-kafka/log4j2.properties"

running() {
    [[ -f "$pid_file" ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null
}

answers() {
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

fetch() {
    if [[ ! -d "$home/libs" ]] || ! ls "$home/libs" | grep -q '^kafka_2.13-'; then
        echo "fetching Apache Kafka from Maven Central into $home/libs..." >&2
        mkdir -p "$home"
        mvn -q -B -f "$root/scripts/peer-kafka/pom.xml" dependency:copy-dependencies \
            -DoutputDirectory="$home/libs" -DincludeScope=runtime >&2
    fi
}

configure() {
    mkdir -p "$home/logs"
    cat > "$home/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$home/data
num.partitions=1
default.replication.factor=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
min.insync.replicas=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS
    if [[ ! -f "$home/data/meta.properties" ]]; then
        local cluster_id
        cluster_id="$("$java_cmd" $log4j -cp "$home/libs/*" kafka.tools.StorageTool random-uuid)"
        "$java_cmd" $log4j -cp "$home/libs/*" kafka.tools.StorageTool format -t "$cluster_id" \
            -c "$home/server.properties" >&2
    fi
}

start() {
    if running; then
        echo "peer Kafka already runs (pid $(cat "$pid_file")) on 127.0.0.1:$port"
        return 0
    fi
    if answers; then
        echo "peer-kafka: something else listens on 127.0.0.1:$port; set LOGLAB_PEER_PORT" >&2
        exit 1
    fi
    fetch
    configure
    nohup "$java_cmd" -Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 $log4j -cp "$home/libs/*" kafka.Kafka \
        "$home/server.properties" > "$home/logs/kafka.out" 2>&1 &
    echo $! > "$pid_file"
    for _ in $(seq 1 60); do
        if answers; then
            echo "peer Kafka runs (pid $(cat "$pid_file")) on 127.0.0.1:$port; data and logs in $home"
            return 0
        fi
        if ! running; then
            break
        fi
        sleep 1
    done
    echo "peer-kafka: Kafka did not come up; the end of $home/logs/kafka.out:" >&2
    tail -20 "$home/logs/kafka.out" >&2
    exit 1
}

stop() {
    if ! running; then
        rm -f "$pid_file"
        echo "peer Kafka is not running"
        return 0
    fi
    local pid
    pid="$(cat "$pid_file")"
    kill "$pid"
    for _ in $(seq 1 30); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 1
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -9 "$pid"
    fi
    rm -f "$pid_file"
    echo "stopped peer Kafka (pid $pid)"
}

status() {
    if running && answers; then
        echo "peer Kafka runs (pid $(cat "$pid_file")) on 127.0.0.1:$port"
    elif running; then
        echo "peer Kafka (pid $(cat "$pid_file")) runs but does not answer on 127.0.0.1:$port"
        exit 1
    else
        echo "peer Kafka is not running"
        exit 3
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    -h|--help|help) usage ;;
    *) usage >&2; exit 2 ;;
esac
