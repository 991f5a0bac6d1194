"""Exactly-once output (setting `exactly_once`): consume-decide-produce as Kafka transactions.

Each screened chunk's decisions and dead letters, and the offsets of the shipment records it
consumed, are committed in one transaction of a transactional producer (transactional id: group
id + worker id). A `read_committed` consumer of `decisions` then sees each shipment's decision
once even when a worker dies mid-batch: the dead worker's open transaction is aborted (when the
same worker id starts again, or after `transaction_timeout_seconds`), and its successor decides
those records again from the committed offsets. Records are acked to faust only after the
commit, so faust's own offset commits never pass an uncommitted decision.

Limits: aiokafka commits transactional offsets without the group's generation (no KIP-447), so a
worker that lost its partitions in a rebalance but is still running is not fenced; kill and
crash are covered, a long stall is not. Only Apache Kafka grants the producer ids this needs:
the embedded broker refuses them, and the worker refuses to start there (`require_transactions`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from typing import Any

from aiokafka import AIOKafkaProducer, TopicPartition

from laborguard_contracts.kafka_features import supports_producer_ids
from laborguard_screener.outbox import Outbox, Source
from laborguard_screener.settings import ScreenerSettings


class TransactionsUnsupportedError(RuntimeError):
    """exactly_once was asked for on a broker that grants no producer ids."""


async def require_transactions(settings: ScreenerSettings) -> None:
    if not await supports_producer_ids(settings.kafka_bootstrap):
        raise TransactionsUnsupportedError(
            f"exactly_once needs Kafka transactions, and the broker at {settings.kafka_bootstrap}"
            " refuses producer ids (the embedded broker does): use Apache Kafka, or unset"
            " LABORGUARD_SCREENER_EXACTLY_ONCE"
        )


async def transactional_producer(settings: ScreenerSettings) -> AIOKafkaProducer:
    producer = AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap,
        transactional_id=f"{settings.group_id}-{settings.worker_id}",
        transaction_timeout_ms=int(settings.transaction_timeout_seconds * 1000),
        acks="all",
        linger_ms=settings.producer_linger_ms,
        max_batch_size=settings.producer_batch_bytes,
    )
    await producer.start()
    return producer


class TransactionalOutbox(Outbox[Source]):
    """An Outbox whose `flush` is one transaction: outputs, then the consumed offsets, commit."""

    def __init__(
        self,
        producer: Any,  # a started transactional AIOKafkaProducer
        group_id: str,
        on_committed: Callable[[Sequence[Source]], None],
    ) -> None:
        super().__init__(producer, self._collect)
        self._transactions = producer
        self._group_id = group_id
        self._on_committed = on_committed
        self._committable: list[Source] = []
        # One transaction at a time: a re-screen's flush and a take's can overlap, and a second
        # begin_transaction on the producer would fail (or mix their records).
        self._one_at_a_time = asyncio.Lock()

    def _collect(self, sources: Sequence[Source]) -> None:
        self._committable.extend(sources)  # acked to faust only once the transaction commits

    async def flush(self) -> None:
        async with self._one_at_a_time:
            await self._commit_pending()

    async def _commit_pending(self) -> None:
        self.raise_if_failed()
        pending = self.pending_sources()
        if not pending:
            return
        # a re-screen's superseding decisions consumed nothing: committed without offsets
        offsets = _next_offsets(pending)
        producer = self._transactions
        await producer.begin_transaction()
        try:
            await super().flush()
            await producer.flush()  # every record batch acknowledged before the commit
            self.raise_if_failed()
            if offsets:
                await producer.send_offsets_to_transaction(offsets, self._group_id)
            await producer.commit_transaction()
        except BaseException as exc:
            self.failure = self.failure or exc  # the worker stops; nothing is acked
            with contextlib.suppress(Exception):
                await producer.abort_transaction()
            raise
        committed, self._committable = self._committable, []
        self._on_committed(committed)


def _next_offsets(sources: Sequence[object]) -> dict[TopicPartition, int]:
    offsets: dict[TopicPartition, int] = {}
    for source in sources:
        # a consumed record, or one with several outputs (ongoing.Joint holds it)
        message: Any = getattr(source, "message", source)
        if not hasattr(message, "offset"):  # a superseding decision answers no record
            continue
        tp = TopicPartition(message.topic, message.partition)
        offsets[tp] = max(offsets.get(tp, 0), message.offset + 1)
    return offsets
