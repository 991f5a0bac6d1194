"""Durability: the broker is SIGKILLed and restarted while shipments are replayed and orders
amended. Nothing that Kafka acknowledged is lost: every acknowledged shipment is decided, and the
worker ends with every order version the registry committed (the registry's digest)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer
from registry.test_relay import amend_many, drained, running

from laborguard_contracts.codec import encode
from laborguard_contracts.topics import ScreeningTopics
from laborguard_platform.apache_kafka import running_kafka
from laborguard_registry.app import Registry, build
from laborguard_registry.settings import RegistrySettings
from laborguard_screener.engine.orderbook import OrderBook
from testbed.factory import shipment
from testbed.harness import Worker, read_sources

pytestmark = pytest.mark.integration

RATE = 200  # shipments per second while the broker is killed and restarted


def _digest(registry: Registry) -> str:
    return OrderBook.of(list(registry.store.all_current().values())).version


async def _replay(bootstrap: str, topic: str, stop: threading.Event) -> list[tuple[int, int]]:
    """Files shipments until told to stop; returns those Kafka acknowledged (partition, offset).
    The producer is idempotent and retries for up to 60 s, so the outage only delays them."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=5,
        request_timeout_ms=60_000,
    )  # fmt: skip
    await producer.start()
    sent: list[asyncio.Future[object]] = []
    number = 0
    try:
        while not stop.is_set():
            for _ in range(RATE // 20):
                record = encode(shipment(number))
                sent.append(await producer.send(topic, record, key=f"shp-{number}".encode()))
                number += 1
            await asyncio.sleep(0.05)
        results = await asyncio.gather(*sent, return_exceptions=True)
    finally:
        await producer.stop()
    return [(r.partition, r.offset) for r in results if not isinstance(r, BaseException)]


def _churn(registry: Registry, stop: threading.Event) -> int:
    rounds = 0
    while not stop.is_set():
        amend_many(registry, 4, 5)
        rounds += 1
        time.sleep(0.1)
    return rounds


def test_a_broker_killed_and_restarted_mid_replay_and_order_churn_loses_nothing_committed(
    unique_name: str, tmp_path: Path, workers: Callable[..., Worker]
) -> None:
    with running_kafka(1, workdir=tmp_path / "kafka") as cluster:
        bootstrap = cluster.bootstrap
        topics = ScreeningTopics.named(unique_name)
        asyncio.run(topics.create(bootstrap))
        settings = RegistrySettings(
            database_url=f"sqlite:///{tmp_path / 'registry.sqlite3'}",
            kafka_bootstrap=bootstrap,
            orders_topic=topics.orders,
            relay_poll_seconds=0.05,
            relay_max_backoff_seconds=1.0,
        )
        stop = threading.Event()
        worker = workers(bootstrap, topics, "durable")

        async def scenario() -> tuple[list[tuple[int, int]], str, float]:
            async for live in running(build(settings)):
                await asyncio.to_thread(live.seed)
                await asyncio.to_thread(worker.wait_ready, 90)
                churn = asyncio.create_task(asyncio.to_thread(_churn, live, stop))
                replay = asyncio.create_task(_replay(bootstrap, topics.shipments, stop))
                await asyncio.sleep(3)
                await asyncio.to_thread(cluster.kill, 1)
                killed = time.monotonic()
                await asyncio.sleep(2)
                await asyncio.to_thread(cluster.restart, 1)
                outage = time.monotonic() - killed
                await asyncio.sleep(3)
                stop.set()
                await churn
                acked = await replay
                await drained(live, within=60)
                return acked, _digest(live), outage
            raise AssertionError("unreachable")

        acked, digest, outage = asyncio.run(scenario())
        decided = asyncio.run(read_sources(bootstrap, [topics.decisions], acked, within=90))
        lost = set(acked) - set(decided)
        state = _wait_for_version(worker, digest)
        print(f"broker down {outage:.1f}s; {len(acked)} shipments acknowledged, {len(lost)} lost;"
              f" worker holds {state['orders']} orders at the registry's digest")  # fmt: skip
        assert acked and not lost
        assert state["order_state_version"] == digest


def _wait_for_version(worker: Worker, version: str, within: float = 60.0) -> dict[str, object]:
    deadline = time.monotonic() + within
    state = worker.readiness()
    while time.monotonic() < deadline:
        assert worker.process is not None and worker.process.poll() is None, worker.log()
        state = worker.readiness()
        if state is not None and state["order_state_version"] == version:
            return state
        time.sleep(0.2)
    raise AssertionError(f"worker at {state}, registry at {version}\n{worker.log()}")
