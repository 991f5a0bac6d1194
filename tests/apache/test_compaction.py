"""`orders` is compacted: after many amendments the log cleaner drops the superseded versions,
and a worker started afterwards rebuilds exactly the registry's state from what is left."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer
from registry.test_relay import amend_many, committed, drained, running

from laborguard_contracts.seed import load_seed
from laborguard_contracts.topics import ORDERS, ScreeningTopics, TopicSpec, ensure_topics
from laborguard_platform.apache_kafka import ApacheKafka
from laborguard_registry.app import Registry, build
from laborguard_registry.settings import RegistrySettings
from laborguard_screener.engine.orderbook import OrderBook
from testbed.harness import Worker

pytestmark = pytest.mark.integration

# Segments roll on the first write 100 ms after they opened, and any dirty share is worth a
# clean: the cleaner (every 0.5 s on the session broker) compacts within seconds.
QUICK_COMPACTION = {
    **ORDERS.configs,
    "segment.ms": "100",
    "min.cleanable.dirty.ratio": "0.01",
    "min.compaction.lag.ms": "0",
}


async def _records_from_start(bootstrap: str, topic: str, within: float = 10.0) -> int:
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, group_id=None, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        (partition,) = consumer.assignment()
        (end,) = (await consumer.end_offsets([partition])).values()
        count, deadline = 0, time.monotonic() + within
        while await consumer.position(partition) < end and time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=200)
            count += sum(len(records) for records in batches.values())
        return count
    finally:
        await consumer.stop()


def _registry_digest(registry: Registry) -> str:
    return OrderBook.of(list(registry.store.all_current().values())).version


def test_a_worker_started_after_compaction_holds_exactly_the_registrys_orders(
    apache_kafka: ApacheKafka, unique_name: str, tmp_path: Path, workers: Callable[..., Worker]
) -> None:
    bootstrap = apache_kafka.bootstrap
    topic = f"{unique_name}-orders"
    asyncio.run(ensure_topics(bootstrap, (TopicSpec(topic, 1, QUICK_COMPACTION),)))
    settings = RegistrySettings(
        database_url=f"sqlite:///{tmp_path / 'registry.sqlite3'}",
        kafka_bootstrap=bootstrap,
        orders_topic=topic,
        relay_poll_seconds=0.05,
    )

    async def amend_and_publish() -> tuple[str, int]:
        async for live in running(build(settings)):
            await asyncio.to_thread(live.seed)
            for _ in range(4):  # rounds apart in time, so the amendments span many segments
                await asyncio.to_thread(amend_many, live, 8, 25)
                await asyncio.sleep(0.15)
            await drained(live, within=30)
            return _registry_digest(live), len(committed(live))
        raise AssertionError("unreachable")

    digest, published = asyncio.run(amend_and_publish())
    deadline, left = time.monotonic() + 60, published
    while left >= published and time.monotonic() < deadline:
        time.sleep(1.0)
        left = asyncio.run(_records_from_start(bootstrap, topic))
    print(f"orders topic: {published} records published, {left} left after compaction")
    assert left < published, "the log cleaner never compacted the orders topic"

    topics = ScreeningTopics(topic, f"{unique_name}-shipments", f"{unique_name}-decisions",
                             f"{unique_name}-dlq")  # fmt: skip
    state = workers(bootstrap, topics, "late").wait_ready()
    assert state["orders"] == len(load_seed())
    assert state["order_state_version"] == digest
