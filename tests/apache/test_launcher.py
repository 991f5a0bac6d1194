"""The project's Apache Kafka: the pinned version, started by its own files, and what it grants."""

from __future__ import annotations

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from laborguard_contracts.kafka_features import supports_producer_ids
from laborguard_contracts.topics import ORDERS, TopicSpec, ensure_topics
from laborguard_platform.apache_kafka import ApacheKafka, kafka_version, resolve_libs
from laborguard_platform.embedded_broker import EmbeddedBroker
from laborguard_registry.outbox import OutboxRow
from laborguard_registry.publisher import KafkaPublisher

pytestmark = pytest.mark.integration


def test_the_broker_is_the_pinned_artifact_resolved_once() -> None:
    libs = resolve_libs()
    assert (libs / f"kafka_2.13-{kafka_version()}.jar").exists()
    assert kafka_version().startswith("4.")


async def test_an_idempotent_acks_all_producer_round_trips_on_apache_kafka(
    apache_kafka: ApacheKafka, unique_name: str
) -> None:
    bootstrap = apache_kafka.bootstrap
    await ensure_topics(bootstrap, (TopicSpec(unique_name, 2),))
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    await producer.start()
    try:
        await producer.send_and_wait(unique_name, b"hello", key=b"k")
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(
        unique_name, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None
    )
    await consumer.start()
    try:
        batch = await consumer.getmany(timeout_ms=10_000)
    finally:
        await consumer.stop()
    assert [m.value for msgs in batch.values() for m in msgs] == [b"hello"]


async def test_producer_ids_are_granted_by_apache_kafka_and_refused_by_the_embedded_broker(
    apache_kafka: ApacheKafka, embedded_broker: EmbeddedBroker
) -> None:
    assert await supports_producer_ids(apache_kafka.bootstrap)
    assert not await supports_producer_ids(embedded_broker.bootstrap)


async def test_topics_are_created_with_their_configs_and_min_insync_for_one_broker(
    apache_kafka: ApacheKafka, unique_name: str
) -> None:
    await ensure_topics(apache_kafka.bootstrap, (TopicSpec(unique_name, 1, ORDERS.configs),))
    admin = AIOKafkaAdminClient(bootstrap_servers=apache_kafka.bootstrap)
    await admin.start()
    try:
        (described,) = await admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, unique_name)]
        )
    finally:
        await admin.close()
    configs = {entry[0]: entry[1] for entry in described.resources[0][4]}
    assert configs["cleanup.policy"] == "compact"
    assert configs["min.insync.replicas"] == "1"


@pytest.mark.parametrize("broker", ["apache_kafka", "embedded_broker"])
async def test_the_relay_is_idempotent_exactly_where_the_broker_grants_producer_ids(
    broker: str, request: pytest.FixtureRequest, unique_name: str
) -> None:
    bootstrap = request.getfixturevalue(broker).bootstrap
    publisher = KafkaPublisher(bootstrap, unique_name, idempotent=None)
    await publisher.start()
    try:
        await publisher.publish([OutboxRow(1, "WRO-1", 1, b'{"v": 1}')])
    finally:
        await publisher.close()
    assert publisher.idempotent is (broker == "apache_kafka")
