"""The records of one screened batch, handed to Kafka as one record batch per partition.

`producer.send` per record cost about a seventh of the worker's time (faust's wrapper, then
aiokafka's per-record partitioning and accumulator); appending to aiokafka's batch builder is a
few microseconds. Partitioning is aiokafka's default (murmur2 of the key), as for `send`, so a
shipment's decisions land where any other producer would put them; the hash is computed here
a word at a time (aiokafka's pure-Python one goes byte by byte: ~3 us a key against ~1.5 us,
a property test holds them equal).

Every record carries the source it answers (a consumed message). Delivery is not awaited here:
when the broker has acknowledged a record batch, `on_delivered` gets the sources of its records
(the screener acks them to faust, which then may commit their offsets). When a batch fails after
the producer's own retries, its sources are never passed on, `failure` holds the error, and the
next `flush` or `raise_if_failed` raises it: the worker stops rather than commit past a decision
that was not written.
"""

from __future__ import annotations

import asyncio
import logging
import struct
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from aiokafka.partitioner import DefaultPartitioner

log = logging.getLogger(__name__)

Source = TypeVar("Source")
Headers = list[tuple[str, bytes]]
_random_partition = DefaultPartitioner()  # for a record without a key
_M = 0x5BD1E995
_MASK = 0xFFFFFFFF
_WORDS = [struct.Struct(f"<{count}I") for count in range(64)]  # keys up to 255 bytes


def partition_of(key: bytes | None, partitions: list[int]) -> int:
    """The partition aiokafka's default partitioner (Java's) gives `key` among `partitions`."""
    if key is None:
        return int(_random_partition(key, partitions, partitions))
    return partitions[(murmur2(key) & 0x7FFFFFFF) % len(partitions)]


def murmur2(data: bytes) -> int:
    """Kafka's murmur2 (`org.apache.kafka.common.utils.Utils.murmur2`), as aiokafka's."""
    length = len(data)
    h = 0x9747B28C ^ length
    count = length >> 2
    words = _WORDS[count] if count < len(_WORDS) else struct.Struct(f"<{count}I")
    for k in words.unpack_from(data):
        k = (k * _M) & _MASK
        k = ((k ^ (k >> 24)) * _M) & _MASK
        h = ((h * _M) & _MASK) ^ k
    extra, tail = length & 3, length & ~3
    if extra:
        if extra == 3:
            h ^= data[tail + 2] << 16
        if extra >= 2:
            h ^= data[tail + 1] << 8
        h = ((h ^ data[tail]) * _M) & _MASK
    h ^= h >> 13
    h = (h * _M) & _MASK
    return h ^ (h >> 15)


class DeliveryFailed(RuntimeError):
    """A batch of output records was not delivered to Kafka."""


class Outbox(Generic[Source]):
    def __init__(
        self,
        producer: Any,  # a started aiokafka AIOKafkaProducer
        on_delivered: Callable[[Sequence[Source]], None],
    ) -> None:
        self._producer = producer
        self._on_delivered = on_delivered
        self._partitions: dict[str, list[int]] = {}
        self._pending: dict[tuple[str, int], _Pending[Source]] = {}
        self.failure: BaseException | None = None

    async def know_partitions(self, *topics: str) -> None:
        """Looks up the topics' partitions once, so that `add` needs no await."""
        for topic in topics:
            if topic not in self._partitions:
                self._partitions[topic] = sorted(await self._producer.partitions_for(topic))

    def add(
        self,
        topic: str,
        key: bytes | None,
        value: bytes | None,
        headers: Headers,
        source: Source,
        partition: int | None = None,
    ) -> None:
        """`partition` None: the key's, by aiokafka's default partitioner."""
        if partition is None:
            partitions = self._partitions[topic]  # KeyError: know_partitions was not awaited
            partition = partition_of(key, partitions)
        pending = self._pending.get((topic, partition))
        if pending is None:
            pending = self._pending[(topic, partition)] = _Pending()
        pending.records.append((key, value, headers))
        pending.sources.append(source)

    def pending_sources(self) -> list[Source]:
        """The sources of the records added since the last flush."""
        return [source for pending in self._pending.values() for source in pending.sources]

    def raise_if_failed(self) -> None:
        if self.failure is not None:
            raise DeliveryFailed(f"an earlier batch was not delivered: {self.failure!r}")

    async def flush(self) -> None:
        """Hands every pending record to the producer (without waiting for the broker)."""
        self.raise_if_failed()
        pending, self._pending = self._pending, {}
        for (topic, partition), outputs in pending.items():
            batch = self._producer.create_batch()
            first = 0
            for index, (key, value, headers) in enumerate(outputs.records):
                if batch.append(timestamp=None, key=key, value=value, headers=headers) is None:
                    # full: submit it, and an empty one takes this record
                    await self._submit(batch, topic, partition, outputs.sources[first:index])
                    batch, first = self._producer.create_batch(), index
                    batch.append(timestamp=None, key=key, value=value, headers=headers)
            await self._submit(batch, topic, partition, outputs.sources[first:])

    async def _submit(
        self, batch: Any, topic: str, partition: int, sources: Sequence[Source]
    ) -> None:
        sent = await self._producer.send_batch(batch, topic, partition=partition)
        sent.add_done_callback(lambda done: self._delivered(done, sources))

    def _delivered(self, sent: asyncio.Future[Any], sources: Sequence[Source]) -> None:
        if sent.cancelled():
            self.failure = self.failure or DeliveryFailed("a record batch was cancelled")
        elif (error := sent.exception()) is not None:
            log.error("a batch of %d records was not delivered: %r", len(sources), error)
            self.failure = self.failure or error
        else:
            self._on_delivered(sources)


class _Pending(Generic[Source]):
    __slots__ = ("records", "sources")

    def __init__(self) -> None:
        self.records: list[tuple[bytes | None, bytes | None, Headers]] = []
        self.sources: list[Source] = []
