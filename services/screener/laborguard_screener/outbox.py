"""The records of one screened batch, handed to Kafka as one record batch per partition.

`producer.send` per record cost about a seventh of the worker's time (faust's wrapper, then
aiokafka's per-record partitioning and accumulator); appending to aiokafka's batch builder is a
few microseconds. Partitioning is aiokafka's default (murmur2 of the key), as for `send`, so a
shipment's decisions land where any other producer would put them. Delivery is not awaited: faust
flushes the producer before every offset commit.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiokafka.partitioner import DefaultPartitioner

log = logging.getLogger(__name__)

Headers = list[tuple[str, bytes]]
Record = tuple[bytes | None, bytes | None, Headers]  # key, value, headers
_partition_for = DefaultPartitioner()


class Outbox:
    def __init__(self, producer: Any) -> None:  # a started aiokafka AIOKafkaProducer
        self._producer = producer
        self._partitions: dict[str, list[int]] = {}
        self._pending: dict[tuple[str, int], list[Record]] = {}

    async def know_partitions(self, *topics: str) -> None:
        """Looks up the topics' partitions once, so that `add` needs no await."""
        for topic in topics:
            if topic not in self._partitions:
                self._partitions[topic] = sorted(await self._producer.partitions_for(topic))

    def add(self, topic: str, key: bytes | None, value: bytes | None, headers: Headers) -> None:
        partitions = self._partitions[topic]  # KeyError: know_partitions was not awaited
        partition = _partition_for(key, partitions, partitions)
        self._pending.setdefault((topic, partition), []).append((key, value, headers))

    async def flush(self) -> None:
        """Hands every pending record to the producer (without waiting for the broker)."""
        pending, self._pending = self._pending, {}
        for (topic, partition), records in pending.items():
            batch = self._producer.create_batch()
            for key, value, headers in records:
                if batch.append(timestamp=None, key=key, value=value, headers=headers) is None:
                    await self._submit(batch, topic, partition)  # full: an empty one takes it
                    batch = self._producer.create_batch()
                    batch.append(timestamp=None, key=key, value=value, headers=headers)
            await self._submit(batch, topic, partition)

    async def _submit(self, batch: Any, topic: str, partition: int) -> None:
        sent = await self._producer.send_batch(batch, topic, partition=partition)
        sent.add_done_callback(_log_failed_send)


def _log_failed_send(sent: asyncio.Future[Any]) -> None:
    if not sent.cancelled() and sent.exception() is not None:
        log.error("a batch of records was not delivered: %r", sent.exception())
