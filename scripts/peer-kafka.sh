#!/usr/bin/env bash
# Run a real Apache Kafka 4.4 (one KRaft node, or three, each broker and controller, loopback only) beside loglab,
# for side-by-side runs. Kafka's jars come from Maven Central through Maven into the peer's home; nothing is
# committed or installed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
home="${LOGLAB_PEER_HOME:-${TMPDIR:-/tmp}/loglab-kafka-peer}"
port="${LOGLAB_PEER_PORT:-39092}"

usage() {
    cat <<USAGE
Usage: scripts/peer-kafka.sh start|stop|status [--nodes 1|3] | --help

  start   fetch Kafka 4.4.0 if needed (Maven Central, into \$LOGLAB_PEER_HOME/libs), format its data directories on
          first use, start the node(s) and wait until each answers
  stop    stop the node(s) this script started (SIGTERM, then SIGKILL after 30 s); their data stays
  status  say whether they run and answer

  --nodes 1 (default): one KRaft node on 127.0.0.1:$port, data in \$LOGLAB_PEER_HOME/data.
  --nodes 3: three nodes on 127.0.0.1:$((port + 100)), :$((port + 200)) and :$((port + 300)), a three-voter
          controller quorum, topics of replication factor 3 and min.insync.replicas 2 by default, data in
          \$LOGLAB_PEER_HOME/cluster-3. A one-node and a three-node peer may run at once.

Environment: LOGLAB_PEER_HOME (default \${TMPDIR:-/tmp}/loglab-kafka-peer: jars, data, logs),
LOGLAB_PEER_PORT (default 39092; each node's controller takes the port after its broker's), JAVA (default java).
Kafka's defaults are kept where they matter for comparisons: flush is left to the OS (no fsync per message),
replica.lag.time.max.ms, the replica fetchers, the session timeouts. Each node runs with Kafka's broker JVM
defaults: -Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20.
USAGE
}

java_cmd="${JAVA:-java}"
log4j="-Dlog4j2.configurationFile=$root/scripts/peer-kafka/log4j2.properties"
nodes=1

# The layout of a peer of $nodes nodes: its directory, and node i's broker port, files.
peer_dir() { if [[ "$nodes" == 1 ]]; then echo "$home"; else echo "$home/cluster-$nodes"; fi; }
broker_port() { if [[ "$nodes" == 1 ]]; then echo "$port"; else echo $((port + 100 * $1)); fi; }
pid_file() { if [[ "$nodes" == 1 ]]; then echo "$home/kafka.pid"; else echo "$(peer_dir)/node$1.pid"; fi; }
config_file() { if [[ "$nodes" == 1 ]]; then echo "$home/server.properties"; else echo "$(peer_dir)/node$1.properties"; fi; }
data_dir() { if [[ "$nodes" == 1 ]]; then echo "$home/data"; else echo "$(peer_dir)/data/node$1"; fi; }
log_file() { if [[ "$nodes" == 1 ]]; then echo "$home/logs/kafka.out"; else echo "$(peer_dir)/logs/node$1.out"; fi; }

running() {
    local pid_file
    pid_file="$(pid_file "$1")"
    [[ -f "$pid_file" ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null
}

answers() {
    (exec 3<>"/dev/tcp/127.0.0.1/$(broker_port "$1")") 2>/dev/null
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
    local i=$1 voters="" replication=1 min_isr=1 j
    for j in $(seq 1 "$nodes"); do
        voters="$voters${voters:+,}$j@127.0.0.1:$(($(broker_port "$j") + 1))"
    done
    if [[ "$nodes" -ge 3 ]]; then
        replication=3
        min_isr=2
    fi
    mkdir -p "$(dirname "$(log_file "$i")")"
    cat > "$(config_file "$i")" <<PROPS
process.roles=broker,controller
node.id=$i
controller.quorum.voters=$voters
listeners=PLAINTEXT://127.0.0.1:$(broker_port "$i"),CONTROLLER://127.0.0.1:$(($(broker_port "$i") + 1))
advertised.listeners=PLAINTEXT://127.0.0.1:$(broker_port "$i")
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$(data_dir "$i")
num.partitions=1
default.replication.factor=$replication
offsets.topic.replication.factor=$replication
transaction.state.log.replication.factor=$replication
transaction.state.log.min.isr=$min_isr
share.coordinator.state.topic.replication.factor=$replication
share.coordinator.state.topic.min.isr=$min_isr
min.insync.replicas=$min_isr
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
PROPS
    if [[ ! -f "$(data_dir "$i")/meta.properties" ]]; then
        local id_file cluster_id
        id_file="$(peer_dir)/cluster.id"
        if [[ "$nodes" == 1 ]]; then
            cluster_id="$("$java_cmd" $log4j -cp "$home/libs/*" kafka.tools.StorageTool random-uuid)"
        else
            [[ -f "$id_file" ]] || "$java_cmd" $log4j -cp "$home/libs/*" kafka.tools.StorageTool random-uuid > "$id_file"
            cluster_id="$(cat "$id_file")"
        fi
        "$java_cmd" $log4j -cp "$home/libs/*" kafka.tools.StorageTool format -t "$cluster_id" \
            -c "$(config_file "$i")" >&2
    fi
}

start() {
    local i
    for i in $(seq 1 "$nodes"); do
        if ! running "$i" && answers "$i"; then
            echo "peer-kafka: something else listens on 127.0.0.1:$(broker_port "$i"); set LOGLAB_PEER_PORT" >&2
            exit 1
        fi
    done
    fetch
    for i in $(seq 1 "$nodes"); do
        if running "$i"; then
            continue
        fi
        mkdir -p "$(peer_dir)"
        configure "$i"
        nohup "$java_cmd" -Xms1g -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 $log4j -cp "$home/libs/*" kafka.Kafka \
            "$(config_file "$i")" >> "$(log_file "$i")" 2>&1 &
        echo $! > "$(pid_file "$i")"
    done
    for i in $(seq 1 "$nodes"); do
        local up=""
        for _ in $(seq 1 90); do
            if answers "$i"; then
                up=1
                break
            fi
            if ! running "$i"; then
                break
            fi
            sleep 1
        done
        if [[ -z "$up" ]]; then
            echo "peer-kafka: Kafka node $i did not come up; the end of $(log_file "$i"):" >&2
            tail -20 "$(log_file "$i")" >&2
            exit 1
        fi
    done
    if [[ "$nodes" -gt 1 ]]; then
        # A broker answers before it has registered with the quorum; topics of replication factor 3 need all three.
        local registered=0
        for _ in $(seq 1 60); do
            registered="$("$java_cmd" $log4j -cp "$home/libs/*" org.apache.kafka.tools.BrokerApiVersionsCommand \
                --bootstrap-server "127.0.0.1:$(broker_port 1)" 2>/dev/null | grep -c '(id:' || true)"
            [[ "$registered" -ge "$nodes" ]] && break
            sleep 1
        done
        if [[ "$registered" -lt "$nodes" ]]; then
            echo "peer-kafka: only $registered of $nodes brokers registered with the quorum; see $(peer_dir)/logs" >&2
            exit 1
        fi
    fi
    echo "peer Kafka runs ($(describe)); data and logs in $(peer_dir)"
}

describe() {
    local i text=""
    for i in $(seq 1 "$nodes"); do
        text="$text${text:+, }pid $(cat "$(pid_file "$i")") on 127.0.0.1:$(broker_port "$i")"
    done
    echo "$text"
}

stop() {
    local i pid stopped=""
    for i in $(seq 1 "$nodes"); do
        if ! running "$i"; then
            rm -f "$(pid_file "$i")"
            continue
        fi
        pid="$(cat "$(pid_file "$i")")"
        kill "$pid"
        for _ in $(seq 1 30); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 1
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill -9 "$pid"
        fi
        rm -f "$(pid_file "$i")"
        stopped="$stopped${stopped:+, }$pid"
    done
    if [[ -z "$stopped" ]]; then
        echo "peer Kafka is not running"
    else
        echo "stopped peer Kafka (pid $stopped)"
    fi
}

status() {
    local i up=0 alive=0
    for i in $(seq 1 "$nodes"); do
        if running "$i"; then
            alive=$((alive + 1))
            if answers "$i"; then
                up=$((up + 1))
            fi
        fi
    done
    if [[ "$up" == "$nodes" ]]; then
        echo "peer Kafka runs ($(describe))"
    elif [[ "$alive" -gt 0 ]]; then
        echo "peer Kafka: $alive of $nodes node(s) run, $up answer"
        exit 1
    else
        echo "peer Kafka is not running"
        exit 3
    fi
}

action="${1:-}"
[[ $# -gt 0 ]] && shift
while [[ $# -gt 0 ]]; do
    case "$1" in
        --nodes)
            [[ $# -ge 2 && ( "$2" == 1 || "$2" == 3 ) ]] || { echo "peer-kafka: --nodes takes 1 or 3" >&2; exit 2; }
            nodes="$2"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "peer-kafka: unknown argument $1" >&2; usage >&2; exit 2 ;;
    esac
done

case "$action" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    -h|--help|help) usage ;;
    *) usage >&2; exit 2 ;;
esac
