"""The Kafka edge of the store: fetch a batch, turn it into rows, write rows and offsets in one
transaction, count. Offsets live in the database with the rows, so a crash at any point
re-reads from the last committed batch and the idempotent inserts make that harmless."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from laborguard_contracts.topics import partition_ids
from laborguard_registry.decisions import metrics
from laborguard_registry.decisions.records import (
    Batch,
    RecordError,
    Reject,
    Source,
    read_decision,
    read_shipment,
)
from laborguard_registry.decisions.settings import StoreSettings
from laborguard_registry.decisions.storage import DecisionStorage

log = logging.getLogger(__name__)
Record = Any  # aiokafka's ConsumerRecord[bytes, bytes] (aiokafka is untyped)


def to_batch(records: dict[TopicPartition, list[Record]], decisions_topic: str) -> Batch:
    batch = Batch()
    for partition, items in records.items():
        for record in items:
            source = Source(record.topic, record.partition, record.offset)
            try:
                if record.topic == decisions_topic:
                    batch.decisions.append(read_decision(record.value, source))
                else:
                    batch.shipments.append(read_shipment(record.value, source))
            except RecordError as exc:
                batch.rejects.append(Reject(source, str(exc), record.value))
        if items:
            batch.next_offsets[(partition.topic, partition.partition)] = items[-1].offset + 1
    return batch


class DecisionsConsumer:
    def __init__(self, settings: StoreSettings, storage: DecisionStorage) -> None:
        self._settings = settings
        self._storage = storage
        self._stopping = asyncio.Event()
        self._kafka: AIOKafkaConsumer | None = None

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        settings = self._settings
        kafka = AIOKafkaConsumer(
            bootstrap_servers=settings.kafka_bootstrap,
            group_id=None,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=100,
        )
        self._kafka = kafka
        await kafka.start()
        try:
            await self._assign(kafka)
            while not self._stopping.is_set():
                await self._step(kafka)
        finally:
            await kafka.stop()

    async def _assign(self, kafka: AIOKafkaConsumer) -> None:
        """Every partition of both topics, from the offsets stored with the rows."""
        topics = (self._settings.decisions_topic, self._settings.shipments_topic)
        # Listing topics creates none; their partitions come from the admin client (see
        # partition_ids: an unsubscribed consumer holds no partition metadata on Apache Kafka).
        while not set(topics) <= await kafka.topics():
            log.info("waiting for the topics %s to exist", topics)
            await asyncio.sleep(1.0)
        bootstrap = self._settings.kafka_bootstrap
        partitions = [
            TopicPartition(topic, number)
            for topic in topics
            for number in await partition_ids(bootstrap, topic)
        ]
        kafka.assign(partitions)
        stored = await asyncio.to_thread(self._storage.offsets, self._settings.consumer_name)
        for partition in partitions:
            offset = stored.get((partition.topic, partition.partition))
            if offset is None:
                await kafka.seek_to_beginning(partition)
            else:
                kafka.seek(partition, offset)
        log.info("reading %d partitions from %d stored offsets", len(partitions), len(stored))

    async def _step(self, kafka: AIOKafkaConsumer) -> None:
        records = await kafka.getmany(timeout_ms=200, max_records=self._settings.batch_size)
        if any(records.values()):
            batch = to_batch(records, self._settings.decisions_topic)
            began = time.perf_counter()
            written = await asyncio.to_thread(
                self._storage.write, batch, self._settings.consumer_name
            )
            metrics.BATCH_SECONDS.set(time.perf_counter() - began)
            metrics.ROWS_WRITTEN.labels("decisions").inc(written.decisions)
            metrics.ROWS_WRITTEN.labels("shipment_events").inc(written.shipments)
            metrics.ROWS_WRITTEN.labels("store_rejects").inc(written.rejects)
            for partition, items in records.items():
                metrics.RECORDS_READ.labels(partition.topic).inc(len(items))
            for reject in batch.rejects:
                metrics.REJECTED.labels(reject.source.topic).inc()
                log.warning("kept in store_rejects: %s: %s", reject.source, reject.reason)
        await self._record_lag(kafka)

    async def _record_lag(self, kafka: AIOKafkaConsumer) -> None:
        # the high watermark of the last fetch: right on the embedded broker too
        for partition in kafka.assignment():
            high = kafka.highwater(partition)
            if high is not None:
                lag = max(0, high - await kafka.position(partition))
                metrics.LAG.labels(partition.topic, str(partition.partition)).set(lag)
