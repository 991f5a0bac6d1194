"""The outbox relay against the real broker, with SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError
from prometheus_client import REGISTRY
from sqlalchemy import func, select

from laborguard_contracts import Order
from laborguard_contracts.seed import load_seed
from laborguard_platform.embedded_broker import EmbeddedBroker
from laborguard_registry.app import Registry, build
from laborguard_registry.orders import Amend
from laborguard_registry.settings import RegistrySettings
from laborguard_registry.tables import order_versions, outbox
from laborguard_registry.tokens import Principal, Role

pytestmark = pytest.mark.integration

Messages = list[tuple[str, Order]]
TopicReader = Callable[..., Awaitable[Messages]]
FirstSeen = Callable[[Messages], dict[str, list[int]]]
OFFICER = Principal("officer-test", Role.OFFICER)
BROKER_DOWN_SECONDS = 30.0


async def running(registry: Registry) -> AsyncIterator[Registry]:
    task = asyncio.create_task(registry.relay.run())
    try:
        yield registry
    finally:
        registry.relay.stop()
        await asyncio.wait_for(task, 15)
        registry.close()


def committed(registry: Registry) -> set[tuple[str, int]]:
    with registry.engine.connect() as connection:
        rows = connection.execute(select(order_versions.c.order_id, order_versions.c.version))
        return {(row.order_id, row.version) for row in rows}


def amend_many(registry: Registry, orders: int, each: int) -> dict[str, int]:
    """`each` amendments to each of the first `orders` seed orders, one writer thread per order;
    returns the last version of each."""

    def amend(order_id: str) -> int:
        version = registry.store.current(order_id).version
        for number in range(each):
            command = Amend(
                expected_version=version,
                effective=date(2025, 1, 1),
                changes={"notes": f"revision {number}"},
            )
            change = registry.service.change(OFFICER, order_id, command, "load test")
            version = registry.service.store(change).version
        return version

    ids = [order.order_id for order in load_seed()[:orders]]
    with ThreadPoolExecutor(max_workers=orders) as pool:
        return dict(zip(ids, pool.map(amend, ids), strict=True))


def unsent(registry: Registry) -> int:
    query = select(func.count()).select_from(outbox).where(outbox.c.sent_at.is_(None))
    with registry.engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


async def drained(registry: Registry, within: float = 10.0) -> None:
    for _ in range(int(within / 0.05)):
        if not unsent(registry):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{unsent(registry)} outbox rows still unsent after {within}s")


async def topic_created(bootstrap: str, topic: str, within: float = 30.0) -> None:
    """Waits for the relay to create the topic (a consumer would auto-create it wrongly)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    async with asyncio.timeout(within):
        while True:
            try:
                await admin.start()
                if topic in await admin.list_topics():
                    return
            except KafkaError:
                pass
            finally:
                await admin.close()
            await asyncio.sleep(0.2)


async def partitions(bootstrap: str, topic: str) -> set[int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        (described,) = await admin.describe_topics([topic])
        return {partition["partition"] for partition in described["partitions"]}
    finally:
        await admin.close()


async def test_relay_publishes_every_commit_keyed_by_order_with_its_commit_time(
    settings: RegistrySettings,
    bootstrap: str,
    topic_reader: TopicReader,
    first_seen: FirstSeen,
) -> None:
    registry = build(settings.model_copy(update={"kafka_bootstrap": bootstrap}))
    async for live in running(registry):
        await asyncio.to_thread(live.seed)
        last = await asyncio.to_thread(amend_many, live, 3, 2)
        await topic_created(bootstrap, settings.orders_topic)
        expected = committed(live)
        messages = await topic_reader(bootstrap, settings.orders_topic, expected)
        assert len(expected) == 100 and {(k, o.version) for k, o in messages} == expected
        assert all(key == order.order_id and order.updated_at for key, order in messages)
        versions = first_seen(messages)
        assert {key: v[-1] for key, v in versions.items() if key in last} == last
        assert all(v == list(range(1, len(v) + 1)) for v in versions.values())
        await drained(live)  # the relay marks a batch sent right after its ack
        assert await partitions(bootstrap, settings.orders_topic) == {0}


async def test_changes_made_while_the_broker_is_down_arrive_in_order_after_it_returns(
    settings: RegistrySettings,
    own_broker: EmbeddedBroker,
    topic_reader: TopicReader,
    first_seen: FirstSeen,
) -> None:
    registry = build(settings.model_copy(update={"kafka_bootstrap": own_broker.bootstrap}))
    async for live in running(registry):
        await asyncio.to_thread(live.seed)
        await topic_created(own_broker.bootstrap, settings.orders_topic)
        seeded = committed(live)
        await topic_reader(own_broker.bootstrap, settings.orders_topic, seeded)
        await drained(live)
        own_broker.stop()
        stopped = time.monotonic()
        last = await asyncio.to_thread(amend_many, live, 10, 100)  # 1,000 changes accepted
        assert unsent(live) == 1000
        await asyncio.sleep(max(0.0, BROKER_DOWN_SECONDS - (time.monotonic() - stopped)))
        assert unsent(live) == 1000
        assert REGISTRY.get_sample_value("registry_outbox_backlog") == 1000
        assert (REGISTRY.get_sample_value("registry_outbox_oldest_unsent_age_seconds") or 0) > 10
        own_broker.start()  # memory-only: it comes back without the topic
        await topic_created(own_broker.bootstrap, settings.orders_topic)
        changes = committed(live) - seeded
        messages = await topic_reader(own_broker.bootstrap, settings.orders_topic, changes)
        assert {(key, order.version) for key, order in messages} == changes
        versions = first_seen(messages)
        assert {key: v[-1] for key, v in versions.items() if key in last} == last
        assert all(v[-100:] == list(range(2, 102)) for k, v in versions.items() if k in last)
        assert all(v == sorted(v) for v in versions.values())
        assert await partitions(own_broker.bootstrap, settings.orders_topic) == {0}
