#!/usr/bin/env bash
# Creates laborguard's topics on Apache Kafka (run once by the compose `kafka-init` service).
# Mirrors laborguard_contracts.topics (tests/ops/test_kafka_topics.py keeps the two equal):
# orders is compacted because it carries the full current document per order id.
set -euo pipefail
bootstrap="${LABORGUARD_KAFKA_BOOTSTRAP:-kafka-1:9092}"
replication="${LABORGUARD_TOPIC_REPLICATION:-3}"
# as laborguard_contracts.topics.replicated_configs: 2 from three replicas on, else 1
min_isr=$(( replication >= 3 ? 2 : 1 ))
topics=/opt/kafka/bin/kafka-topics.sh

create() {  # name partitions [--config key=value ...]
  local name=$1 partitions=$2
  shift 2
  "$topics" --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$name" --partitions "$partitions" --replication-factor "$replication" \
    --config "min.insync.replicas=$min_isr" "$@"
}

create orders 1 --config cleanup.policy=compact
create shipments 4 --config retention.ms=5184000000
create decisions 4
create shipments.dlq 1
create shipments.open 4 --config cleanup.policy=compact

"$topics" --bootstrap-server "$bootstrap" --describe
