"""The moments at which an order's coverage changes by its own timeline, not by an update.

An order can be committed ahead of its dates: a WRO announced to take force next Monday, a
revocation or an exemption dated ahead. Its update changes no open shipment's decision then (the
order is not yet in force as of the commit); the shipments on the water change when the date
comes. Each timeline date counts from its start (UTC), as the what-if's `issued_at` does.

`CoverageDates` holds the moments still to come in stream time (the latest event time seen,
the open window's clock, so a replay sees the same moments pass as the live stream did) and
hands back those the stream time has passed, keeping them: an event that comes later from before
one of them (partitions are read a batch at a time) missed it. Pure: no I/O, no clock.
"""

from __future__ import annotations

import heapq
from bisect import bisect_right
from collections.abc import Iterable
from datetime import UTC, datetime, time

from laborguard_contracts import Order


def moments(order: Order) -> frozenset[datetime]:
    """The starts (UTC) of the order's timeline dates."""
    return frozenset(datetime.combine(event.effective, time.min, UTC) for event in order.timeline)


class CoverageDates:
    def __init__(self) -> None:
        self._heap: list[tuple[datetime, str]] = []
        # Stream time up to which moments were handed back (None: not started).
        self.passed: datetime | None = None
        # The moments handed back, in time order, and their orders: a shipment whose event
        # comes after the stream time passed one, from before it, missed it.
        self._handed: list[datetime] = []
        self._handed_orders: list[str] = []

    def start(self, orders: Iterable[Order], now: datetime) -> None:
        """Holds the moments after `now` of every order (the book, once it is complete)."""
        self.passed = now
        for order in orders:
            self.add(order)

    def add(self, order: Order) -> None:
        """Holds the order's moments still to come (an update's new dates; repeats harmless)."""
        passed = self.passed
        if passed is None:
            return  # `start` reads the whole book
        for moment in moments(order):
            if moment > passed:
                heapq.heappush(self._heap, (moment, order.order_id))

    @property
    def next_at(self) -> datetime | None:
        return self._heap[0][0] if self._heap else None

    def due(self, now: datetime) -> dict[str, datetime]:
        """The orders with a moment passed by `now`: their latest such moment, by order id (as
        `passed_between` gives them)."""
        heap = self._heap
        passed: dict[str, datetime] = {}
        while heap and heap[0][0] <= now:
            moment, order_id = heapq.heappop(heap)
            passed[order_id] = moment  # popped in time order: the latest stays
            self._handed.append(moment)
            self._handed_orders.append(order_id)
        if self.passed is None or now > self.passed:
            self.passed = now
        return passed

    def missed_by(self, decided_as_of: datetime) -> bool:
        """A moment was handed back after `decided_as_of`: a shipment decided as of it (an event
        from before the stream time) missed it. One comparison: the per-event check."""
        return bool(self._handed) and self._handed[-1] > decided_as_of

    def handed_after(self, since: datetime) -> dict[str, datetime]:
        """The orders with a moment handed back after `since`: their latest such moment."""
        start = bisect_right(self._handed, since)
        return dict(zip(self._handed_orders[start:], self._handed[start:], strict=True))


def passed_between(
    orders: Iterable[Order], since: datetime, until: datetime
) -> dict[str, datetime]:
    """The orders with a moment in (`since`, `until`]: their latest such moment, by order id
    (a restore's look back: the moments its partitions' last worker may not have acted on)."""
    found: dict[str, datetime] = {}
    for order in orders:
        passed = [moment for moment in moments(order) if since < moment <= until]
        if passed:
            found[order.order_id] = max(passed)
    return found
