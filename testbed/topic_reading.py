"""Shared helpers that read topics back in tests: a group-less consumer from the start of every
partition, until a condition holds or time runs out (what it got so far is returned, so the
test's own assertion says what is missing)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from aiokafka import AIOKafkaConsumer, ConsumerRecord

from laborguard_contracts.codec import loads

Record = ConsumerRecord[bytes, bytes]
Records = list[Record]


async def read_until(
    bootstrap: str,
    topics: Iterable[str],
    done: Callable[[Records], bool],
    within: float,
    *,
    fetch_wait_ms: int = 50,  # the embedded broker answers a waiting fetch only at its end
) -> Records:
    consumer = AIOKafkaConsumer(
        *topics,
        bootstrap_servers=bootstrap,
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        fetch_max_wait_ms=fetch_wait_ms,
    )
    await consumer.start()
    records: Records = []
    deadline = time.monotonic() + within
    try:
        while not done(records) and time.monotonic() < deadline:
            batches = await consumer.getmany(timeout_ms=200)
            records.extend(record for batch in batches.values() for record in batch)
    finally:
        await consumer.stop()
    return records


async def read_count(bootstrap: str, topic: str, count: int, within: float = 30.0) -> Records:
    """The topic's first `count` records (fewer if they do not arrive `within` seconds)."""
    return await read_until(bootstrap, [topic], lambda got: len(got) >= count, within)


def event_id_of(record: Record) -> str:
    """The `event_id` a decision (or a dead-lettered shipment event) carries; "" if none."""
    try:
        document = loads(record.value or b"")
    except ValueError:
        return ""
    return str(document.get("event_id", "")) if isinstance(document, dict) else ""


async def settled_event_ids(
    bootstrap: str, topics: Iterable[str], event_ids: set[str], within: float
) -> set[str]:
    """Which of `event_ids` got a decision or a dead letter on `topics`, read until all did."""

    def all_settled(records: Records) -> bool:
        return event_ids <= {event_id_of(record) for record in records}

    records = await read_until(bootstrap, topics, all_settled, within)
    return {event_id_of(record) for record in records} & event_ids
