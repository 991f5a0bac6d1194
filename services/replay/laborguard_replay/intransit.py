"""Ongoing screening in a what-if: the shipments in transit when a candidate order is issued.

The live screener keeps open shipments and re-decides them when an order arrives; here the same
pure parts (`OpenShipments`, `rescreen`) run over a history in event-time order. A candidate
order counts as issued at the start (UTC) of its first timeline date (its in-force date), a new
version of a baseline order at the first timeline date the baseline's version lacks; at that
moment every open shipment it can affect is re-decided as of then, exactly as a worker would,
and a changed decision is kept as a superseding decision (`supersedes`, `cause`). Events are
decided against the candidate book, which already holds the candidate orders: before their
dates their lifecycle keeps them out of force, so these are the decisions of the live run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, time, timedelta

from laborguard_contracts import Decision, Order, ShipmentEvent
from laborguard_contracts.codec import encode
from laborguard_screener.engine.orderbook import OrderBook
from laborguard_screener.engine.screening import ScreeningPolicy
from laborguard_screener.openshipments import FINAL_EVENT_TYPES, OpenShipment, OpenShipments
from laborguard_screener.rescreening import rescreen

WINDOW = timedelta(days=45)


def issued_at(order: Order, previous: Order | None = None) -> datetime:
    known = set(previous.timeline) if previous is not None else set()
    new = [event.effective for event in order.timeline if event not in known]
    day = min(new) if new else max(event.effective for event in order.timeline)
    return datetime.combine(day, time.min, tzinfo=UTC)


class InTransit:
    def __init__(
        self,
        book: OrderBook,
        changes: Iterable[Order],
        baseline: Mapping[str, Order],
        policy: ScreeningPolicy,
        window: timedelta = WINDOW,
    ) -> None:
        self.book = book
        self.policy = policy
        self.state = OpenShipments(window)
        self._baseline = baseline
        self._pending = sorted(
            ((issued_at(o, baseline.get(o.order_id)), o.order_id, o) for o in changes),
            key=lambda pending: pending[:2],
        )
        self.superseding: list[Decision] = []

    def observe(self, event: ShipmentEvent, decision: Decision) -> None:
        """After `event` was decided (candidate book): issue what came before it, then track it."""
        self._issue_until(event.event_time)
        state = self.state
        state.advance(event.event_time)
        if event.event_type in FINAL_EVENT_TYPES:
            state.close(event.shipment_id)
        elif state.within_window(event.event_time):
            state.track(OpenShipment.of(0, encode(event), event, decision), event)

    def finish(self) -> list[Decision]:
        self._issue_until(None)
        return self.superseding

    def _issue_until(self, moment: datetime | None) -> None:
        while self._pending and (moment is None or self._pending[0][0] <= moment):
            when, _, order = self._pending.pop(0)
            self.state.expired()
            previous = self._baseline.get(order.order_id)
            for shipment in self.state.affected(previous, order):
                redecided = rescreen(
                    shipment, self.book, self.policy, decided_at=when, as_of=when, trigger=order
                )
                if redecided is not None:
                    self.state.redecided(shipment, redecided.decision, redecided.event)
                    self.superseding.append(redecided.decision)
