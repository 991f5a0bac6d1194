"""Open shipments: filed, not yet at a final event, within the window; indexed for re-screening.

Pure state, no I/O. Each open shipment is filed under the keys an order could reach it by, the
same keys the screening indexes use: a party's exact name key ("e"), its look-up tokens ("t"),
native name and its bigrams ("n", "g"), MID ("m"), the regions its production addresses signal
("r"), and the orders its current decision matched ("o"). `affected(previous, order)` turns an
order update into the shipments it can change without a scan: the listings of both versions
give exact keys, MIDs, native keys and, for fuzzy matching, the shipment tokens within one edit
of each listed distinctive token (a fuzzy match needs one); the order's region gives the region
key; its HTS prefixes (of either version) then narrow the candidates to goods in scope.

The window is measured in stream time (the latest event time seen), not the wall clock, so a
replay of history keeps the same shipments open as the live stream did, and two workers agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from laborguard_contracts import (
    Decision,
    MatchRule,
    Order,
    Outcome,
    Party,
    ShipmentEvent,
    ShipmentEventType,
)
from laborguard_screener.listings import listings_of
from laborguard_screener.names import has_native_script, name_key, native_key, normalise_mid
from laborguard_screener.subjects import line_signals, shipment_signals
from laborguard_screener.tokenindex import TokenIndex, deletion_variants, within_one_edit

FINAL_EVENT_TYPES = frozenset({ShipmentEventType.ENTRY_SUMMARY_FILED})
_PARTY_MEMO_LIMIT = 100_000
_NATIVE_SUBSTRING_MIN = 6  # as matching.NATIVE_SUBSTRING_MIN: a listed native name this long
# also matches inside a longer filed one (read here, not imported: matching's internals move)


@dataclass(slots=True)
class OpenShipment:
    shipment_id: str
    partition: int  # of `shipments`: the state is partitioned like the records it follows
    event: bytes  # the event's JSON, as validated: re-decoded when re-screened
    event_time: datetime
    decision_id: str  # the last decision emitted for it (what a re-decision supersedes)
    outcome: Outcome
    matched: frozenset[str]  # order ids its last decision matched (near matches included)
    order_state_version: str  # the order state that decision was made against
    keys: tuple[str, ...] = ()
    hts: tuple[str, ...] = ()
    checked_version: str = ""  # last order state it was re-decided against (changed or not)

    @classmethod
    def of(
        cls, partition: int, value: bytes, event: ShipmentEvent, decision: Decision
    ) -> OpenShipment:
        """The open record of a decided event (`value`: the event's bytes as validated)."""
        return cls(
            shipment_id=event.shipment_id,
            partition=partition,
            event=value,
            event_time=event.event_time,
            decision_id=decision.decision_id or "",
            outcome=decision.outcome,
            matched=matched_ids(decision),
            order_state_version=decision.order_state_version,
            checked_version=decision.order_state_version,
        )


def matched_ids(decision: Decision) -> frozenset[str]:
    return frozenset(match.order_id for match in decision.matches)


def is_final(event: ShipmentEvent, final_types: frozenset[ShipmentEventType]) -> bool:
    return event.event_type in final_types


class OpenShipments:
    def __init__(self, window: timedelta) -> None:
        self.window = window
        self.stream_time: datetime | None = None
        self._open: dict[str, OpenShipment] = {}
        self._by_key: dict[str, set[str]] = {}
        self._tokens = TokenIndex()  # the "t" keys held, for one-edit look-ups
        self._party_keys: dict[tuple[str, str | None, str | None], tuple[str, ...]] = {}

    def __len__(self) -> int:
        return len(self._open)

    def __contains__(self, shipment_id: object) -> bool:
        return shipment_id in self._open

    def get(self, shipment_id: str) -> OpenShipment | None:
        return self._open.get(shipment_id)

    def __iter__(self) -> Iterator[OpenShipment]:
        return iter(list(self._open.values()))

    def within_window(self, event_time: datetime) -> bool:
        return self.stream_time is None or event_time >= self.stream_time - self.window

    def advance(self, event_time: datetime) -> None:
        if self.stream_time is None or event_time > self.stream_time:
            self.stream_time = event_time

    def track(self, shipment: OpenShipment, event: ShipmentEvent) -> None:
        """Holds `shipment` (replacing what was held for its id), filed under its keys."""
        self.close(shipment.shipment_id)
        shipment.keys = (*self._event_keys(event), *("o" + oid for oid in shipment.matched))
        shipment.hts = _hts_codes(event)
        self._open[shipment.shipment_id] = shipment
        by_key = self._by_key
        for key in shipment.keys:
            held = by_key.get(key)
            if held is None:
                by_key[key] = {shipment.shipment_id}
                if key[0] == "t":
                    self._tokens.add(key[1:])
            else:
                held.add(shipment.shipment_id)

    def redecided(self, shipment: OpenShipment, decision: Decision, event: ShipmentEvent) -> None:
        """Its new decision becomes the one held (and its matched orders its keys)."""
        shipment.decision_id = decision.decision_id or shipment.decision_id
        shipment.outcome = decision.outcome
        shipment.matched = matched_ids(decision)
        shipment.order_state_version = decision.order_state_version
        shipment.checked_version = decision.order_state_version
        self.track(shipment, event)

    def close(self, shipment_id: str) -> OpenShipment | None:
        shipment = self._open.pop(shipment_id, None)
        if shipment is None:
            return None
        by_key = self._by_key
        for key in shipment.keys:
            held = by_key.get(key)
            if held is not None:
                held.discard(shipment_id)
                if not held:
                    del by_key[key]
                    if key[0] == "t":
                        self._tokens.remove(key[1:])
        return shipment

    def expired(self) -> list[OpenShipment]:
        """Closes and returns the shipments that fell out of the window (stream time)."""
        if self.stream_time is None:
            return []
        cutoff = self.stream_time - self.window
        old = [s.shipment_id for s in self._open.values() if s.event_time < cutoff]
        return [closed for sid in old if (closed := self.close(sid)) is not None]

    def drop_partitions(self, partitions: Iterable[int]) -> int:
        """Forgets the shipments of partitions this worker no longer holds."""
        gone = set(partitions)
        ids = [s.shipment_id for s in self._open.values() if s.partition in gone]
        for shipment_id in ids:
            self.close(shipment_id)
        return len(ids)

    def affected(self, previous: Order | None, order: Order) -> list[OpenShipment]:
        """The open shipments an update from `previous` to `order` can change (a superset)."""
        versions = [o for o in (previous, order) if o is not None]
        found: set[str] = set(self._by_key.get("o" + order.order_id, ()))
        for version in versions:
            for key in self._order_keys(version):
                found.update(self._by_key.get(key, ()))
        prefixes = _prefixes(versions)
        shipments = (self._open[sid] for sid in sorted(found) if sid in self._open)
        if prefixes is None:
            return list(shipments)
        return [s for s in shipments if any(code.startswith(prefixes) for code in s.hts)]

    def _order_keys(self, order: Order) -> Iterator[str]:
        if order.region is not None:
            yield "r" + order.region
        for listing in listings_of(order):
            if listing.rule is MatchRule.MID:
                yield "m" + listing.key
            elif listing.rule is MatchRule.NATIVE_NAME:
                yield "n" + listing.key
                if len(listing.key) >= _NATIVE_SUBSTRING_MIN:
                    yield "g" + listing.key[:2]
            else:
                yield "e" + listing.key
                for token in listing.distinctive:
                    for held in self._tokens.holding(deletion_variants(token)):
                        if within_one_edit(token, held):
                            yield "t" + held

    def _event_keys(self, event: ShipmentEvent) -> set[str]:
        keys: set[str] = set()
        party_keys = self._party_keys
        for party in _parties(event):
            memo_key = (party.name, party.native_name, party.mid)
            held = party_keys.get(memo_key)
            if held is None:
                if len(party_keys) >= _PARTY_MEMO_LIMIT:
                    party_keys.clear()
                held = party_keys[memo_key] = _party_keys(party)
            keys.update(held)
        for located in shipment_signals(event):
            keys.add("r" + located.signal.region)
        for index, line in enumerate(event.lines):
            for located in line_signals(index, line):
                keys.add("r" + located.signal.region)
        return keys


def _parties(event: ShipmentEvent) -> Iterator[Party]:
    yield event.importer_of_record
    yield from event.parties
    for line in event.lines:
        yield line.manufacturer
        for item in line.inputs:
            if item.producer is not None:
                yield item.producer


def _party_keys(party: Party) -> tuple[str, ...]:
    keys: list[str] = []
    if party.mid:
        keys.append("m" + normalise_mid(party.mid))
    for value in (party.name, party.native_name):
        if not value:
            continue
        if has_native_script(value):
            key = native_key(value)
            keys.append("n" + key)
            keys.extend("g" + key[i : i + 2] for i in range(len(key) - 1))
        else:
            key_ = name_key(value)
            keys.append("e" + key_.text)
            keys.extend("t" + token for token in key_.lookup)
    return tuple(keys)


def _hts_codes(event: ShipmentEvent) -> tuple[str, ...]:
    codes = [line.hts_code for line in event.lines]
    codes.extend(i.hts_code for line in event.lines for i in line.inputs if i.hts_code)
    return tuple(codes)


def _prefixes(versions: list[Order]) -> tuple[str, ...] | None:
    prefixes: list[str] = []
    for version in versions:
        if version.hts_prefixes is None:
            return None
        prefixes.extend(version.hts_prefixes)
    return tuple(prefixes)
