"""Follows shipments, decisions and dead letters on Kafka and counts them into a Tally."""

from __future__ import annotations

import asyncio

from aiokafka import AIOKafkaConsumer, ConsumerRecord

from laborguard_contracts import ContractError, Decision, topics
from laborguard_contracts.codec import decode
from laborguard_platform.errors import StackError
from laborguard_platform.tally import Tally

WATCHED = (topics.SHIPMENTS.name, topics.DECISIONS.name, topics.SHIPMENTS_DLQ.name)


class Watch:
    """A group-less consumer of every partition of the watched topics."""

    def __init__(self, bootstrap: str, tally: Tally, *, from_start: bool) -> None:
        self.tally = tally
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap,
            group_id=None,
            enable_auto_commit=False,
            # an embedded broker is new, so all it holds is ours; a real Kafka holds history
            auto_offset_reset="earliest" if from_start else "latest",
            fetch_max_wait_ms=100,  # the embedded broker answers a waiting fetch only at its end
        )

    async def start(self, seconds: float = 30.0) -> None:
        """Returns once every partition has a position, so nothing produced later is missed."""
        await self._consumer.start()
        self._consumer.subscribe(list(WATCHED))
        try:
            async with asyncio.timeout(seconds):
                while len(self._consumer.assignment()) < _partition_count():
                    self._count(await self._consumer.getmany(timeout_ms=100))
                for partition in self._consumer.assignment():
                    await self._consumer.position(partition)
        except TimeoutError:
            raise StackError(
                f"could not follow {', '.join(WATCHED)} within {seconds:.0f}s"
            ) from None

    async def follow(self) -> None:
        while True:
            batches = await self._consumer.getmany(timeout_ms=200, max_records=5000)
            self._count(batches)

    async def stop(self) -> None:
        await self._consumer.stop()

    def _count(self, batches: dict[object, list[ConsumerRecord[bytes, bytes]]]) -> None:
        for records in batches.values():
            for record in records:
                self._count_one(record)

    def _count_one(self, record: ConsumerRecord[bytes, bytes]) -> None:
        if record.topic == topics.SHIPMENTS.name:
            self.tally.shipments += 1
        elif record.topic == topics.SHIPMENTS_DLQ.name:
            self.tally.dead_letters += 1
        elif record.value is not None:
            try:
                self.tally.record(decode(Decision, record.value))
            except ContractError:
                self.tally.unreadable += 1


def _partition_count() -> int:
    return sum(spec.partitions for spec in topics.ALL_TOPICS if spec.name in WATCHED)
