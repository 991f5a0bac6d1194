"""The Kafka edge of a replay: sends on time, many in flight, acknowledged in batches."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable

from aiokafka import AIOKafkaProducer

from laborguard_replay.pacing import wait_before
from laborguard_replay.schedule import Send
from laborguard_replay.settings import ReplaySettings

# Below this, waiting for an event's due time is not worth a sleep.
MIN_SLEEP = 0.002


def producer_for(settings: ReplaySettings) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap,
        linger_ms=settings.linger_ms,
        max_batch_size=settings.max_batch_bytes,
        acks=1,
    )


async def publish(
    settings: ReplaySettings,
    sends: Iterable[Send],
    progress: Callable[[int], object] = lambda n: None,
) -> int:
    """Publishes every send to the shipments topic at its due time; returns how many."""
    producer = producer_for(settings)
    try:
        await producer.start()
        return await _send_all(producer, settings, sends, progress)
    finally:
        await producer.stop()  # also after a failed start, which leaves a half-open client


async def _send_all(
    producer: AIOKafkaProducer,
    settings: ReplaySettings,
    sends: Iterable[Send],
    progress: Callable[[int], object],
) -> int:
    loop = asyncio.get_running_loop()
    started: float | None = None
    in_flight: list[asyncio.Future[object]] = []
    published = 0
    for send in sends:
        # The clock starts at the first send, not before the lines skipped ahead of the window.
        started = loop.time() - send.due if started is None else started
        delay = wait_before(send.due, loop.time() - started)
        if delay > MIN_SLEEP or len(in_flight) >= settings.batch_size:
            published += await _acknowledge(in_flight, progress)
            await asyncio.sleep(wait_before(send.due, loop.time() - started))
        in_flight.append(await producer.send(settings.shipments_topic, send.value, key=send.key))
    return published + await _acknowledge(in_flight, progress)


async def _acknowledge(
    in_flight: list[asyncio.Future[object]], progress: Callable[[int], object]
) -> int:
    count = len(in_flight)
    if count:
        await asyncio.gather(*in_flight)
        in_flight.clear()
        progress(count)
    return count
