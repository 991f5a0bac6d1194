"""The outbox against the real broker: every source is passed on once its record is delivered,
never when it is not; partitions are aiokafka's default for the key."""

from __future__ import annotations

import asyncio

import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.partitioner import DefaultPartitioner

from laborguard_contracts.topics import ScreeningTopics
from laborguard_platform.embedded_broker import EmbeddedBroker
from laborguard_screener.outbox import DeliveryFailed, Outbox
from testbed.topic_reading import read_count

pytestmark = pytest.mark.integration


async def _read_all(bootstrap: str, topic: str, count: int) -> list[tuple[int, bytes, bytes]]:
    return [
        (r.partition, r.key or b"", r.value or b"")
        for r in await read_count(bootstrap, topic, count)
    ]


def test_every_source_is_passed_on_once_its_record_is_delivered(
    bootstrap: str, unique_name: str
) -> None:
    topics = ScreeningTopics.named(unique_name)
    asyncio.run(topics.create(bootstrap))
    delivered: list[int] = []

    async def run() -> None:
        # small batches, so that one partition's records span several record batches
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, max_batch_size=16 * 1024)
        await producer.start()
        try:
            outbox: Outbox[int] = Outbox(producer, delivered.extend)
            await outbox.know_partitions(topics.decisions, topics.dead_letters)
            for source in range(600):
                topic = topics.dead_letters if source % 10 == 0 else topics.decisions
                value = b"x" * 1000 + str(source).encode()
                outbox.add(topic, f"S{source}".encode(), value, [("n", b"1")], source)
            await outbox.flush()
            await producer.flush()
            assert outbox.failure is None
        finally:
            await producer.stop()

    asyncio.run(run())
    assert sorted(delivered) == list(range(600))
    decisions = asyncio.run(_read_all(bootstrap, topics.decisions, 540))
    assert len(decisions) == 540
    partitions = list(range(4))
    for partition, key, value in decisions:
        assert value.endswith(key[1:])
        assert partition == DefaultPartitioner()(key, partitions, partitions)


def test_an_undelivered_batch_passes_nothing_on_and_stops_the_next_flush(
    own_broker: EmbeddedBroker, unique_name: str
) -> None:
    topics = ScreeningTopics.named(unique_name)
    asyncio.run(topics.create(own_broker.bootstrap))
    delivered: list[int] = []

    async def run() -> Outbox[int]:
        producer = AIOKafkaProducer(
            bootstrap_servers=own_broker.bootstrap, request_timeout_ms=1000, retry_backoff_ms=50
        )
        await producer.start()
        try:
            outbox: Outbox[int] = Outbox(producer, delivered.extend)
            await outbox.know_partitions(topics.decisions)
            own_broker.stop()  # the broker is gone: the batch can only expire
            outbox.add(topics.decisions, b"S1", b"v", [], 1)
            await outbox.flush()
            async with asyncio.timeout(30):
                await producer.flush()  # returns once the batch has expired
            await asyncio.sleep(0)  # the batch's done callback
            assert outbox.failure is not None
            outbox.add(topics.decisions, b"S2", b"v", [], 2)
            with pytest.raises(DeliveryFailed):
                await outbox.flush()
            return outbox
        finally:
            await producer.stop()

    outbox = asyncio.run(run())
    assert delivered == []
    assert outbox.failure is not None
