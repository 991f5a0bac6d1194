"""The order state the engine decides against: every order's latest version, indexed.

`apply` is incremental: a new version's index entries replace the old version's, so a stream of
updates stays cheap. `version` is an order-independent digest of the (order id, version) pairs
held (XOR of 64-bit BLAKE2b hashes): equal state gives an equal digest, whatever the order of
updates that led to it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from hashlib import blake2b

from laborguard_contracts import Order
from laborguard_screener.engine.lifecycle import Lifecycle
from laborguard_screener.engine.listings import Listing, listings_of
from laborguard_screener.engine.matching import NameIndex


@dataclass(frozen=True, slots=True)
class BookedOrder:
    order: Order
    lifecycle: Lifecycle
    listings: tuple[Listing, ...]

    @classmethod
    def of(cls, order: Order) -> BookedOrder:
        return cls(order, Lifecycle.of(order), listings_of(order))

    def covers_hts(self, hts_code: str | None) -> bool:
        prefixes = self.order.hts_prefixes
        if prefixes is None:
            return True
        return hts_code is not None and hts_code.startswith(prefixes)


class OrderBook:
    def __init__(self) -> None:
        self._booked: dict[str, BookedOrder] = {}
        self._by_region: defaultdict[str, set[str]] = defaultdict(set)
        self.names = NameIndex()
        self._digest = 0
        self._version = f"{0:016x}"

    @classmethod
    def of(cls, orders: Iterable[Order]) -> OrderBook:
        book = cls()
        for order in orders:
            book.apply(order)
        return book

    def apply(self, order: Order) -> bool:
        """Hold `order` if it is newer than the version held; stale or duplicate: False."""
        held = self._booked.get(order.order_id)
        if held is not None and held.order.version >= order.version:
            return False
        if held is not None:
            self._unbook(held)
        self._book(BookedOrder.of(order))
        return True

    def get(self, order_id: str) -> Order | None:
        booked = self._booked.get(order_id)
        return booked.order if booked else None

    def booked(self, order_id: str) -> BookedOrder:
        return self._booked[order_id]

    def region_orders(self, region: str) -> Iterable[str]:
        return self._by_region.get(region, ())

    def orders(self) -> Iterator[Order]:
        return (self._booked[order_id].order for order_id in sorted(self._booked))

    def in_force_count(self, at: datetime) -> int:
        """Orders covering goods produced and imported on `at` (exemptions aside)."""
        on = at.date()
        return sum(1 for b in self._booked.values() if b.lifecycle.in_force(on, on))

    @property
    def version(self) -> str:
        return self._version

    def __len__(self) -> int:
        return len(self._booked)

    def __contains__(self, order_id: object) -> bool:
        return order_id in self._booked

    def _book(self, booked: BookedOrder) -> None:
        order = booked.order
        self._booked[order.order_id] = booked
        self.names.add(booked.listings)
        if order.region is not None:
            self._by_region[order.region].add(order.order_id)
        self._digest ^= _fingerprint(order)
        self._version = f"{self._digest:016x}"

    def _unbook(self, booked: BookedOrder) -> None:
        order = booked.order
        del self._booked[order.order_id]
        self.names.remove(booked.listings)
        if order.region is not None:
            self._by_region[order.region].discard(order.order_id)
        self._digest ^= _fingerprint(order)
        self._version = f"{self._digest:016x}"


def _fingerprint(order: Order) -> int:
    digest = blake2b(f"{order.order_id}@{order.version}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")
