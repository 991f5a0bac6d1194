"""The transactional output path: the offsets it commits (the next of each partition consumed),
one transaction at a time, one producer per worker."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest
from aiokafka import TopicPartition
from aiokafka.producer.message_accumulator import BatchBuilder

from laborguard_screener import shipments
from laborguard_screener.engine.orderbook import OrderBook
from laborguard_screener.engine.screening import DEFAULT_POLICY
from laborguard_screener.orderstate import OrderFeed
from laborguard_screener.settings import ScreenerSettings
from laborguard_screener.shipments import ShipmentScreener
from laborguard_screener.transactional import TransactionalOutbox, _next_offsets

pytestmark = pytest.mark.unit


def _message(partition: int, offset: int) -> Any:
    return SimpleNamespace(topic="shipments", partition=partition, offset=offset)


def test_the_committed_offset_is_one_past_the_last_record_consumed_per_partition() -> None:
    sources = [_message(0, 5), _message(1, 9), _message(0, 7), _message(0, 6)]
    assert _next_offsets(sources) == {
        TopicPartition("shipments", 0): 8,
        TopicPartition("shipments", 1): 10,
    }


def test_no_records_no_offsets() -> None:
    assert _next_offsets([]) == {}


class _Transactions:
    """A transactional producer's calls, in order; each yields to the loop as a real one does."""

    def __init__(self, log: list[str]) -> None:
        self.log = log
        self.sent = asyncio.Event()

    async def partitions_for(self, topic: str) -> set[int]:
        await asyncio.sleep(0)
        return {0, 1}

    def create_batch(self) -> Any:
        return BatchBuilder(1024 * 1024, 0)

    async def send_batch(self, batch: Any, topic: str, partition: int) -> asyncio.Future[None]:
        self.log.append(f"send {topic}")
        self.sent.set()
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done

    async def begin_transaction(self) -> None:
        self.log.append("begin")
        await asyncio.sleep(0)

    async def flush(self) -> None:
        await asyncio.sleep(0)

    async def send_offsets_to_transaction(self, offsets: Any, group_id: str) -> None:
        await asyncio.sleep(0)

    async def commit_transaction(self) -> None:
        await asyncio.sleep(0)
        self.log.append("commit")

    async def abort_transaction(self) -> None:
        self.log.append("abort")


def test_overlapping_flushes_commit_one_transaction_after_the_other() -> None:
    """A re-screen's flush and a take's can overlap; the producer must see one transaction at a
    time (a second begin_transaction inside the first fails, or mixes their records)."""
    log: list[str] = []
    committed: list[object] = []
    producer = _Transactions(log)
    outbox: TransactionalOutbox[object] = TransactionalOutbox(producer, "group", committed.extend)

    async def run() -> None:
        await outbox.know_partitions("decisions")
        outbox.add("decisions", b"a", b"1", [], _message(0, 1))
        first = asyncio.create_task(outbox.flush())
        await producer.sent.wait()  # the first transaction has its record
        outbox.add("decisions", b"b", b"2", [], _message(1, 1))
        await asyncio.gather(first, outbox.flush())

    asyncio.run(run())
    assert log == ["begin", "send decisions", "commit", "begin", "send decisions", "commit"]
    assert len(committed) == 2


def test_racing_first_callers_open_one_outbox(monkeypatch: pytest.MonkeyPatch) -> None:
    """A partition's first take and the re-screen of the open shipments it restored both ask
    for the outbox at once: opened twice, two producers would share one transactional id and
    the second would fence the first (seen as ProducerFenced on Apache Kafka)."""
    opened: list[_Transactions] = []

    async def transactional_producer(settings: ScreenerSettings) -> _Transactions:
        await asyncio.sleep(0.01)  # connecting, InitProducerId
        opened.append(_Transactions([]))
        return opened[-1]

    monkeypatch.setattr(shipments, "transactional_producer", transactional_producer)
    settings = ScreenerSettings(exactly_once=True, open_window_days=0)
    app: Any = SimpleNamespace()
    screener = ShipmentScreener(app, settings, OrderFeed(settings, OrderBook()), DEFAULT_POLICY)

    async def race() -> list[Any]:
        return list(await asyncio.gather(screener._sending(), screener._sending()))

    first, second = asyncio.run(race())
    assert len(opened) == 1 and first is second
    first.add(settings.decisions_topic, b"k", b"v", [], _message(0, 1))  # partitions known
