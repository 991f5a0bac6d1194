"""The Kafka edge: publishes outbox rows as one record batch per partition, acks=all.

One batch is in flight at a time, so a failure can never let a later version overtake an
earlier one; a resend after a lost ack only duplicates, which versions make harmless.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Protocol

from aiokafka import AIOKafkaProducer
from aiokafka.partitioner import DefaultPartitioner

from laborguard_contracts.kafka_features import supports_producer_ids
from laborguard_contracts.topics import ORDERS, TopicSpec, ensure_topics
from laborguard_registry.outbox import OutboxRow

ADMIN_TIMEOUT_SECONDS = 10.0


class Publisher(Protocol):
    async def start(self) -> None: ...

    async def publish(self, rows: Sequence[OutboxRow]) -> None: ...

    async def close(self) -> None: ...


class KafkaPublisher:
    def __init__(self, bootstrap: str, topic: str, idempotent: bool | None) -> None:
        self._bootstrap = bootstrap
        self._spec = TopicSpec(topic, ORDERS.partitions, ORDERS.configs)
        self._idempotent = idempotent
        self._producer: AIOKafkaProducer | None = None
        self._partitioner = DefaultPartitioner()

    @property
    def idempotent(self) -> bool | None:
        """Whether the producer is idempotent (None until the first start has asked the broker)."""
        return self._idempotent

    async def start(self) -> None:
        # A memory broker that restarted has lost the topic: create it before producing,
        # or producing would auto-create it with the wrong partition count and no config.
        await asyncio.wait_for(ensure_topics(self._bootstrap, (self._spec,)), ADMIN_TIMEOUT_SECONDS)
        if self._idempotent is None:  # asked once: a restarted relay keeps the answer
            self._idempotent = await asyncio.wait_for(
                supports_producer_ids(self._bootstrap), ADMIN_TIMEOUT_SECONDS * 2
            )
        producer = AIOKafkaProducer(
            bootstrap_servers=self._bootstrap,
            acks="all",
            enable_idempotence=self._idempotent,
            request_timeout_ms=5000,
            retry_backoff_ms=100,
            max_batch_size=1024 * 1024,
            linger_ms=0,
        )
        try:
            await asyncio.wait_for(producer.start(), ADMIN_TIMEOUT_SECONDS)
        except BaseException:
            with contextlib.suppress(Exception):
                await producer.stop()  # a half-started producer keeps connections and tasks
            raise
        self._producer = producer

    async def publish(self, rows: Sequence[OutboxRow]) -> None:
        producer = self._require()
        partitions = sorted(await producer.partitions_for(self._spec.name))
        for partition, chunk in self._by_partition(rows, partitions).items():
            await self._send(producer, partition, chunk)

    async def close(self) -> None:
        producer, self._producer = self._producer, None
        if producer is not None:
            await asyncio.wait_for(producer.stop(), ADMIN_TIMEOUT_SECONDS)

    def _by_partition(
        self, rows: Sequence[OutboxRow], partitions: list[int]
    ) -> dict[int, list[OutboxRow]]:
        grouped: dict[int, list[OutboxRow]] = {}
        for row in rows:
            key = row.order_id.encode()
            partition = self._partitioner(key, partitions, partitions)
            grouped.setdefault(partition, []).append(row)
        return grouped

    async def _send(
        self, producer: AIOKafkaProducer, partition: int, rows: list[OutboxRow]
    ) -> None:
        pending = list(rows)
        while pending:
            batch = producer.create_batch()
            taken = 0
            for row in pending:
                if (
                    batch.append(key=row.order_id.encode(), value=row.payload, timestamp=None)
                    is None
                ):
                    break
                taken += 1
            if taken == 0:
                raise ValueError(f"outbox row {pending[0].outbox_id} exceeds the batch size")
            batch.close()
            delivered = await producer.send_batch(batch, self._spec.name, partition=partition)
            await delivered
            pending = pending[taken:]

    def _require(self) -> AIOKafkaProducer:
        if self._producer is None:
            raise RuntimeError("publisher not started")
        return self._producer
