"""Order state: every worker follows the whole `orders` topic into its own OrderBook.

A plain consumer with no group (every partition assigned, read from the beginning) rather than a
faust table: every worker needs every order, and faust's GlobalTable applied live updates late and
finished recovery early on the embedded broker (see docs/screener.md).

The readiness gate: the state is complete once, for every partition, a fetch answered after this
consumer started has reported a high watermark and the records below it have all been applied.
That holds on Apache Kafka and on the embedded broker, whose ListOffsets end offsets under-report
(start of the last batch + 1) but whose fetch responses carry the right high watermark.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition

from laborguard_contracts import ContractError, Order
from laborguard_contracts.codec import decode
from laborguard_contracts.topics import partition_ids
from laborguard_screener import metrics
from laborguard_screener.engine.orderbook import OrderBook
from laborguard_screener.settings import ScreenerSettings

log = logging.getLogger(__name__)
OrderChange = tuple[Order | None, Order]  # (the version held before, or None; the new one)
_YOUNG_COLLECTION_THRESHOLD = 10_000  # allocations (net) between young collections

# The orders-in-force gauge walks the whole book (tens of ms for 10,000 orders, on the loop that
# screens shipments): recount after a change at most this often, and at least once a minute
# (an order enters or leaves force on a date).
_IN_FORCE_MIN_SECONDS = 5.0
_IN_FORCE_MAX_SECONDS = 60.0


def caught_up(
    positions: Mapping[TopicPartition, int], highwaters: Mapping[TopicPartition, int | None]
) -> bool:
    """True when every partition has a fetched high watermark and the position has reached it."""
    return all(
        (highwater := highwaters.get(tp)) is not None and position >= highwater
        for tp, position in positions.items()
    )


class OrderFeed:
    """Applies every order record to `book`; `ready` is set once the book is provably complete."""

    def __init__(self, settings: ScreenerSettings, book: OrderBook) -> None:
        self.settings = settings
        self.book = book
        self.ready = asyncio.Event()
        # The latest registry commit among the orders applied: re-screens decide "as of" it.
        self.latest_commit: datetime | None = None
        # The orders topic's position (the next offset) the book has reached, and the offset
        # each order's held version was read at: what a takeover re-decides is found by them. Kept
        # only when the topic has one partition (the catalogue's), else None: the order of
        # records across partitions is not one every worker agrees on.
        self.position: int | None = None
        self.applied: dict[str, int] = {}
        # Told of the live updates (previous version or None, new version) once applied.
        self.on_changed: Callable[[list[OrderChange]], Awaitable[None]] | None = None
        self._in_force_refreshed = 0.0
        self._changed = True

    async def run(self) -> None:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self.settings.kafka_bootstrap,
            group_id=None,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=self.settings.orders_fetch_wait_ms,
            max_partition_fetch_bytes=self.settings.fetch_max_bytes,
        )
        await consumer.start()
        try:
            partitions = await self._assign_all(consumer)
            while True:
                batches = await consumer.getmany(timeout_ms=100)
                changes: list[OrderChange] = []
                for records in batches.values():
                    changes.extend(self._apply(records))
                if changes and self.ready.is_set() and self.on_changed is not None:
                    await self.on_changed(changes)
                await self._observe(consumer, partitions)
        finally:
            await consumer.stop()

    async def _assign_all(self, consumer: AIOKafkaConsumer) -> list[TopicPartition]:
        topic = self.settings.orders_topic
        # Listing all topics creates none (describing a missing one makes the embedded broker
        # auto-create it). A consumer with no subscription holds no partition metadata on Apache
        # Kafka, whose metadata answers name only the topics asked for: the admin client asks.
        while topic not in await consumer.topics():  # noqa: ASYNC110 (polling the broker)
            await asyncio.sleep(0.5)
        ids = await partition_ids(self.settings.kafka_bootstrap, topic)
        partitions = [TopicPartition(topic, partition) for partition in ids]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        self.position = 0 if len(partitions) == 1 else None
        return partitions

    def _apply(self, records: list[ConsumerRecord[bytes, bytes]]) -> list[OrderChange]:
        changes: list[OrderChange] = []
        for record in records:
            order = self._decode(record)
            if order is None:
                continue
            previous = self.book.get(order.order_id)
            applied = self.book.apply(order)
            if self.position is not None:
                self.position = record.offset + 1
                if applied:
                    self.applied[order.order_id] = record.offset
            if applied:
                changes.append((previous, order))
                self._observe_apply(order)
                committed = order.updated_at
                if committed is not None and (
                    self.latest_commit is None or committed > self.latest_commit
                ):
                    self.latest_commit = committed
        if changes:
            self._changed = True
            metrics.ORDER_STATE_ORDERS.set(len(self.book))
            metrics.ORDER_STATE_UPDATED.set(time.time())
        return changes

    def applied_since(self, position: int) -> list[tuple[str, int]]:
        """The orders whose held version was read at or past `position`, with that offset."""
        return [(order_id, at) for order_id, at in self.applied.items() if at >= position]

    def _decode(self, record: ConsumerRecord[bytes, bytes]) -> Order | None:
        if record.value is None:
            log.warning(
                "ignoring an order tombstone at offset %d (orders are never deleted)", record.offset
            )
            return None
        try:
            return decode(Order, record.value)
        except ContractError as exc:
            log.error(
                "skipping an invalid order at %s/%d offset %d: %s",
                record.topic,
                record.partition,
                record.offset,
                exc,
            )
            return None

    def _observe_apply(self, order: Order) -> None:
        # Only live updates measure commit-to-applied; catch-up replays old commits.
        if self.ready.is_set() and order.updated_at is not None:
            metrics.ORDER_APPLY_SECONDS.observe(
                (datetime.now(UTC) - order.updated_at).total_seconds()
            )

    async def _observe(self, consumer: AIOKafkaConsumer, partitions: list[TopicPartition]) -> None:
        positions = {tp: await consumer.position(tp) for tp in partitions}
        highwaters = {tp: consumer.highwater(tp) for tp in partitions}
        for tp, position in positions.items():
            if (highwater := highwaters[tp]) is not None:
                metrics.CONSUMER_LAG.labels(tp.topic, str(tp.partition)).set(highwater - position)
        if not self.ready.is_set() and caught_up(positions, highwaters):
            self._open_gate()
        self._refresh_in_force()

    def _open_gate(self) -> None:
        log.info("order state complete: %d orders, version %s", len(self.book), self.book.version)
        settle_memory()
        metrics.ORDER_STATE_ORDERS.set(len(self.book))
        metrics.READY.set(1)
        self.ready.set()

    def _refresh_in_force(self) -> None:
        now = time.monotonic()
        since = now - self._in_force_refreshed
        due = since >= _IN_FORCE_MAX_SECONDS or (self._changed and since >= _IN_FORCE_MIN_SECONDS)
        if self.ready.is_set() and due:
            self._in_force_refreshed, self._changed = now, False
            metrics.ORDERS_IN_FORCE.set(self.book.in_force_count(datetime.now(UTC)))


def settle_memory() -> None:
    """Once the book is built: keep the collector off the long-lived objects, collect rarely.

    The book is millions of long-lived objects; a full collection scanning them stalls the stream,
    and frozen objects are skipped by the collector (orders applied later are not). Screening a
    shipment allocates a few hundred short-lived objects, nearly all freed by reference counting:
    at the default threshold (700) the young generation was collected every few shipments, and
    the collector took 12-43 us per shipment (measured with the seed + 10,000 synthetic entities);
    at 10,000 it took ~3 us.
    """
    gc.freeze()
    gc.set_threshold(_YOUNG_COLLECTION_THRESHOLD, 20, 100)
