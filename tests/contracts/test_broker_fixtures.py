from __future__ import annotations

import pytest
from aiokafka import AIOKafkaProducer

from laborguard_contracts.topics import TopicSpec, ensure_topics
from testbed.topic_reading import read_count

pytestmark = pytest.mark.integration


async def test_broker_round_trips_a_message_on_a_created_topic(
    bootstrap: str, unique_name: str
) -> None:
    await ensure_topics(bootstrap, (TopicSpec(unique_name, 2),))
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(unique_name, b"hello", key=b"k")
    finally:
        await producer.stop()
    assert [r.value for r in await read_count(bootstrap, unique_name, 1, within=10)] == [b"hello"]


def test_postgres_database_per_test_is_reachable(postgres_url: str) -> None:
    import sqlalchemy

    engine = sqlalchemy.create_engine(postgres_url)
    with engine.connect() as conn:
        assert conn.execute(sqlalchemy.text("SELECT 1")).scalar() == 1
    engine.dispose()
