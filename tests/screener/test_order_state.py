"""The order feed: all orders into the book, and a readiness gate that opens only when complete."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from aiokafka import TopicPartition

from laborguard_contracts.codec import encode
from laborguard_screener.engine.orderbook import OrderBook
from laborguard_screener.orderstate import OrderFeed, caught_up
from laborguard_screener.settings import ScreenerSettings

from .factory import entity_order, synthetic_name
from .harness import Topics, produce

TP = TopicPartition("orders", 0)


@pytest.mark.unit
@pytest.mark.parametrize(
    ("position", "highwater", "ready"),
    [
        (0, None, False),  # no fetch has answered yet: nothing is known
        (0, 0, True),  # an empty topic, confirmed by a fetch
        (499, 500, False),
        (500, 500, True),
    ],
)
def test_gate_opens_only_at_a_fetched_high_watermark(
    position: int, highwater: int | None, ready: bool
) -> None:
    assert caught_up({TP: position}, {TP: highwater}) is ready


@pytest.mark.unit
def test_gate_waits_for_every_partition() -> None:
    other = TopicPartition("orders", 1)
    assert not caught_up({TP: 10, other: 3}, {TP: 10, other: 4})


class WitnessedFeed(OrderFeed):
    """Records how many orders the book held at the moment the gate opened."""

    held_at_gate: int | None = None

    def _open_gate(self) -> None:
        self.held_at_gate = len(self.book)
        super()._open_gate()


async def _feed_until_ready(bootstrap: str, topics: Topics) -> tuple[int | None, OrderFeed]:
    settings = ScreenerSettings(kafka_bootstrap=bootstrap, orders_topic=topics.orders)
    feed = WitnessedFeed(settings, OrderBook())
    running = asyncio.create_task(feed.run())
    try:
        await asyncio.wait_for(feed.ready.wait(), timeout=20)
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
    return feed.held_at_gate, feed


@pytest.mark.integration
async def test_ready_only_with_every_order_although_end_offsets_under_report(
    bootstrap: str, topics: Topics
) -> None:
    orders = [entity_order(n, synthetic_name(n)) for n in range(3000)]
    for start in range(0, 3000, 500):  # several produce batches: the broker's trap needs them
        chunk = orders[start : start + 500]
        await produce(bootstrap, topics.orders, ((o.order_id.encode(), encode(o)) for o in chunk))

    held_at_gate, feed = await _feed_until_ready(bootstrap, topics)

    assert held_at_gate == 3000
    assert feed.book.version == OrderBook.of(orders).version


@pytest.mark.integration
async def test_ready_on_an_empty_orders_topic(bootstrap: str, topics: Topics) -> None:
    held_at_gate, _ = await _feed_until_ready(bootstrap, topics)
    assert held_at_gate == 0
