"""Screens a history offline with the screener's own engine, as of each event's time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from laborguard_contracts import Decision, ShipmentEvent
from laborguard_screener.engine.orderbook import OrderBook
from laborguard_screener.engine.screening import DEFAULT_POLICY, ScreeningPolicy, screen


@dataclass(frozen=True, slots=True)
class Paired:
    event: ShipmentEvent
    baseline: Decision
    candidate: Decision


def decide(event: ShipmentEvent, book: OrderBook, policy: ScreeningPolicy) -> Decision:
    # decided_at = event time keeps a what-if run reproducible byte for byte.
    return screen(event, book, decided_at=event.event_time, policy=policy)


def screen_both(
    events: Iterable[ShipmentEvent],
    baseline: OrderBook,
    candidate: OrderBook,
    policy: ScreeningPolicy = DEFAULT_POLICY,
) -> Iterator[Paired]:
    for event in events:
        yield Paired(event, decide(event, baseline, policy), decide(event, candidate, policy))
