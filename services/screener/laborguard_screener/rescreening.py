"""Re-deciding an open shipment after an order update: a changed decision supersedes the last.

Pure: no I/O, no clock. The shipment's latest event is decided again against the current book,
as of the update (the latest order commit the book holds, or a date in an order's timeline that
the stream has reached), never before the event's own time nor the held decision's.
A decision whose outcome or set of matched orders differs from the one held is returned with
`supersedes` (the held decision's id) and `cause` (the order update behind the change); an
unchanged one is not returned. Two workers re-deciding the same shipment against the same book
(a takeover while re-screening) build the same decision, so duplicates are identical.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from laborguard_contracts import Decision, DecisionCause, Order, ShipmentEvent
from laborguard_contracts.codec import decode
from laborguard_screener.engine.orderbook import OrderBook
from laborguard_screener.engine.screening import ScreeningPolicy, screen
from laborguard_screener.openshipments import OpenShipment, matched_ids


@dataclass(frozen=True, slots=True)
class Redecided:
    shipment: OpenShipment
    event: ShipmentEvent
    decision: Decision


def rescreen(
    shipment: OpenShipment,
    book: OrderBook,
    policy: ScreeningPolicy,
    *,
    decided_at: datetime,
    as_of: datetime | None,
    trigger: Order | None = None,
) -> Redecided | None:
    """The superseding decision for `shipment`, or None when its decision does not change."""
    event = decode(ShipmentEvent, shipment.event)
    # As of the update, never before the event itself nor the decision held (a later one).
    when = max(as_of or event.event_time, event.event_time, shipment.decided_as_of)
    decision = screen(event, book, decided_at=decided_at, as_of=when, policy=policy)
    if decision.outcome == shipment.outcome and matched_ids(decision) == shipment.matched:
        return None
    cause = cause_of(shipment.matched, decision, book, trigger)
    superseding = decision.model_copy(update={"supersedes": shipment.decision_id, "cause": cause})
    return Redecided(shipment, event, superseding)


def cause_of(
    held: frozenset[str], decision: Decision, book: OrderBook, trigger: Order | None
) -> DecisionCause | None:
    """The order behind a change: of the orders that entered or left the matches, the one
    committed last (ties by id); else the update that triggered the re-screen."""
    changed = [book.get(oid) for oid in sorted(held ^ matched_ids(decision))]
    orders = [order for order in changed if order is not None]
    if orders:
        trigger = max(orders, key=_committed)
    if trigger is None:
        return None
    return DecisionCause(
        order_id=trigger.order_id,
        order_version=trigger.version,
        committed_at=trigger.updated_at,
    )


def _committed(order: Order) -> tuple[float, str]:
    return (order.updated_at.timestamp() if order.updated_at else 0.0, order.order_id)
