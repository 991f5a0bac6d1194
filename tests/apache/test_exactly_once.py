"""Exactly-once (`exactly_once`): with it on, a read_committed reader of `decisions` sees every
shipment decided exactly once, also when a worker is SIGKILLed mid-stream; refused on the
embedded broker with a clear error."""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from laborguard_contracts.codec import encode
from laborguard_contracts.seed import load_seed
from laborguard_contracts.topics import ScreeningTopics as Topics
from laborguard_platform.apache_kafka import ApacheKafka
from laborguard_platform.embedded_broker import EmbeddedBroker
from testbed.factory import shipment
from testbed.harness import Worker, headers, produce, source_of

pytestmark = pytest.mark.integration

RATE = 300  # shipments per second
EXACTLY_ONCE = {"exactly_once": "true", "transaction_timeout_seconds": "5"}
Arrival = tuple[float, str, tuple[int, int]]  # when, by which worker, for which source record


async def _follow(bootstrap: str, topic: str, isolation: str, stop: asyncio.Event) -> list[Arrival]:
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, group_id=None, auto_offset_reset="earliest",
        fetch_max_wait_ms=20, isolation_level=isolation,
    )  # fmt: skip
    await consumer.start()
    arrivals: list[Arrival] = []
    try:
        while not stop.is_set():
            for records in (await consumer.getmany(timeout_ms=100)).values():
                now = time.monotonic()
                arrivals += [(now, headers(r)["worker"], source_of(r)) for r in records]
    finally:
        await consumer.stop()
    return arrivals


async def _kill_mid_stream(
    bootstrap: str, topics: Topics, victim: Worker
) -> tuple[list[Arrival], list[Arrival], list[tuple[int, int]], float]:
    stop = asyncio.Event()
    committed_view: list[Arrival] = []
    follow = [
        asyncio.create_task(_follow(bootstrap, topics.decisions, level, stop))
        for level in ("read_committed", "read_uncommitted")
    ]
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5, acks="all")
    await producer.start()
    sources: list[tuple[int, int]] = []
    number, killed_at, started = 0, 0.0, time.monotonic()
    try:
        while time.monotonic() - started < 9.0:
            if not killed_at and time.monotonic() - started > 3.0:
                victim.kill()
                killed_at = time.monotonic()
            sent = []
            for _ in range(RATE // 20):
                value, key = encode(shipment(number)), f"shp-{number}".encode()
                sent.append(await producer.send(topics.shipments, value, key=key,
                                                partition=number % 4))  # fmt: skip
                number += 1
            sources += [(m.partition, m.offset) for m in await asyncio.gather(*sent)]
            await asyncio.sleep(0.05)
        await asyncio.sleep(20)  # the victim's open transaction times out (5 s) and is aborted
    finally:
        stop.set()
        committed_view, uncommitted_view = [await task for task in follow]
        await producer.stop()
    return committed_view, uncommitted_view, sources, killed_at


def test_a_read_committed_reader_sees_no_duplicate_decision_after_a_worker_is_killed(
    apache_kafka: ApacheKafka, apache_topics: Topics, workers: Callable[..., Worker]
) -> None:
    bootstrap = apache_kafka.bootstrap
    seed = [(order.order_id.encode(), encode(order)) for order in load_seed()]
    asyncio.run(produce(bootstrap, apache_topics.orders, seed))
    victim = workers(bootstrap, apache_topics, "victim", **EXACTLY_ONCE)
    survivor = workers(bootstrap, apache_topics, "survivor", **EXACTLY_ONCE)
    victim.wait_ready()
    survivor.wait_ready()

    committed, uncommitted, sources, killed_at = asyncio.run(
        _kill_mid_stream(bootstrap, apache_topics, victim)
    )

    decided = [source for _, _, source in committed]
    duplicates = len(decided) - len(set(decided))
    aborted = len(uncommitted) - len(committed)
    after_kill = [t for t, w, _ in committed if w == "survivor" and t > killed_at]
    print(
        f"{len(sources)} shipments, {len(set(decided))} decided, {duplicates} duplicates seen"
        f" read_committed, {aborted} outputs of aborted transactions seen read_uncommitted"
    )
    both = {w for _, w, _ in committed} == {"victim", "survivor"}  # both held partitions
    assert both, survivor.log()
    assert after_kill, survivor.log()
    assert set(sources) <= set(decided), survivor.log()
    assert duplicates == 0


def test_exactly_once_is_refused_on_the_embedded_broker_with_a_clear_error(
    embedded_broker: EmbeddedBroker, unique_name: str, tmp_path: Path
) -> None:
    worker = Worker(embedded_broker.bootstrap, Topics.named(unique_name), unique_name, "eo",
                    tmp_path, **EXACTLY_ONCE)  # fmt: skip
    worker.start()
    assert worker.process is not None
    try:
        assert worker.process.wait(60) != 0
    except subprocess.TimeoutExpired:
        worker.stop()
        raise
    assert "exactly_once needs Kafka transactions" in worker.log()
    assert "refuses producer ids" in worker.log()
