"""The Kafka edge that gathers a run's decisions into a JSONL file for the report."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from aiokafka import AIOKafkaConsumer

from laborguard_contracts import ContractError, Decision
from laborguard_contracts.codec import decode
from laborguard_replay.settings import ReplaySettings


@dataclass(frozen=True)
class Collected:
    written: int
    invalid: int
    idle_stop: bool  # True when the topic went quiet before `count` decisions arrived


def consumer_for(settings: ReplaySettings, *, from_start: bool = True) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        settings.decisions_topic,
        bootstrap_servers=settings.kafka_bootstrap,
        group_id=None,  # reads the topic, commits nothing, disturbs no consumer group
        auto_offset_reset="earliest" if from_start else "latest",
        enable_auto_commit=False,
        fetch_max_wait_ms=100,
    )


def _valid(value: bytes | None, offset: str) -> bool:
    try:
        decode(Decision, value or b"")
    except ContractError as exc:
        print(f"skipped decision at {offset}: {exc}", file=sys.stderr)
        return False
    return True


async def collect(
    settings: ReplaySettings,
    out: IO[bytes],
    *,
    count: int | None,
    idle_seconds: float,
    from_start: bool = True,
    progress: Callable[[int], object] = lambda n: None,
    ready: asyncio.Event | None = None,
) -> Collected:
    """Writes decisions (their original bytes, one a line) until `count` or the topic idles.

    from_start=False takes only decisions published after the consumer starts (a run's own,
    when collect starts before the replay): it starts near the end of the topic and skips
    records stamped at or before the millisecond it started, since the embedded broker's end
    offsets can point into the last batch (a record published in the very millisecond it
    started is not taken: it could be an older one). `ready` is set once every partition has a
    position: nothing published later is missed.
    """
    consumer = consumer_for(settings, from_start=from_start)
    started = -1 if from_start else _now_ms()
    written = invalid = 0
    loop = asyncio.get_running_loop()
    try:
        await consumer.start()
        last_seen = loop.time()
        while count is None or written < count:
            batches = await consumer.getmany(timeout_ms=200, max_records=5000)
            if ready is not None and not ready.is_set():
                await _signal_positioned(consumer, ready)
            if not batches and loop.time() - last_seen > idle_seconds:
                return Collected(written, invalid, idle_stop=True)
            for partition, messages in batches.items():
                last_seen = loop.time()
                for message in messages:
                    if count is not None and written >= count:
                        break
                    if message.timestamp <= started:
                        continue
                    where = f"{partition.topic}[{partition.partition}]@{message.offset}"
                    if not _valid(message.value, where):
                        invalid += 1
                        continue
                    out.write(message.value + b"\n")
                    written += 1
                progress(len(messages))
        return Collected(written, invalid, idle_stop=False)
    finally:
        await consumer.stop()


def _now_ms() -> int:
    return int(time.time() * 1000)


async def _signal_positioned(consumer: AIOKafkaConsumer, ready: asyncio.Event) -> None:
    assigned = consumer.assignment()
    if assigned:
        for partition in assigned:
            await consumer.position(partition)
        ready.set()
