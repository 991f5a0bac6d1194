"""Open shipments: filed, not yet at a final event, within the window; indexed for re-screening.

Pure state, no I/O. Each open shipment is filed under the keys an order could reach it by, the
same keys the screening indexes use: through its parties, a party's exact name key ("e"), its
look-up tokens ("t"), native name and its bigrams ("n", "g"), MID ("m"); and its own, the regions
its production addresses signal ("r") and the orders its current decision matched ("o").
`affected(previous, order)` turns an order update into the shipments it can change without a
scan: the listings of both versions give exact keys, MIDs, native keys and, for fuzzy matching,
the shipment tokens within one edit of each listed distinctive token (a fuzzy match needs one);
the order's region gives the region key; its HTS prefixes (of either version) then narrow the
candidates to goods in scope. A shipment is filed under its keys after it was tracked, not on
the decided event's path: `file(budget, until)` does that work in chunks, oldest first, up to a
`mark` (the worker's edge calls it before an update's look-up, and after a take once many
wait, so no call holds the stream for long however many shipments wait); `affected` first
finishes whatever is still pending up to its mark.

The window is measured in stream time (the latest event time seen), not the wall clock, so a
replay of history keeps the same shipments open as the live stream did, and two workers agree.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from laborguard_contracts import (
    Address,
    Decision,
    MatchRule,
    Order,
    Outcome,
    Party,
    ShipmentEvent,
    ShipmentEventType,
)
from laborguard_screener.engine.listings import listings_of
from laborguard_screener.engine.matching import PartyKey
from laborguard_screener.engine.matching import party_key as memo_key
from laborguard_screener.engine.names import has_native_script, name_key, native_key, normalise_mid
from laborguard_screener.engine.regions import address_signals, place_signal
from laborguard_screener.engine.screening import Trace
from laborguard_screener.engine.subjects import PRODUCTION_ROLES
from laborguard_screener.engine.tokenindex import Alphabet, one_edit_spellings, within_one_edit

FINAL_EVENT_TYPES = frozenset({ShipmentEventType.ENTRY_SUMMARY_FILED})
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
    keys: tuple[str, ...] = ()  # its own index keys: regions, matched orders
    filers: tuple[PartyKey, ...] = ()  # its parties (their index keys are held per party)
    hts: tuple[str, ...] = ()
    checked_version: str = ""  # last order state it was re-decided against (changed or not)
    # The orders topic's position (next offset) the book of its decision or last check had
    # reached: orders read at or past it were not in that book (None: not known).
    checked_to: int | None = None
    event_id: str = ""  # of the event held
    offset: int | None = None  # of the event's record in `shipments` (None: not known)
    # As of when its last decision was made (None: the event's time). A re-decision is never
    # made as of an earlier moment: coverage is by date, and going back would undo a later one.
    as_of: datetime | None = None
    # As of when a date's re-check last found its decision unchanged, when later than `as_of`
    # (None: none did): the dates up to it are acted on, though its decision is older.
    dates_checked: datetime | None = None

    @property
    def decided_as_of(self) -> datetime:
        """The moment its last decision was made as of."""
        return self.as_of or self.event_time

    @property
    def dates_known(self) -> datetime:
        """The moment up to which the orders' dates are acted on for it: its decision's, or a
        later re-check's that left the decision as it was."""
        decided = self.decided_as_of
        checked = self.dates_checked
        return checked if checked is not None and checked > decided else decided

    @classmethod
    def of(
        cls,
        partition: int,
        value: bytes,
        event: ShipmentEvent,
        decision: Decision,
        offset: int | None = None,
    ) -> OpenShipment:
        """The open record of a decided event (`value`: the event's bytes as validated, read at
        `offset` of `shipments` partition `partition`)."""
        return cls(
            event.shipment_id,
            partition,
            value,
            event.event_time,
            decision.decision_id or "",
            decision.outcome,
            matched_ids(decision),
            decision.order_state_version,
            checked_version=decision.order_state_version,
            event_id=event.event_id,
            offset=offset,
            as_of=decision.as_of,
        )


_NO_MATCHES: frozenset[str] = frozenset()


def matched_ids(decision: Decision) -> frozenset[str]:
    if not decision.matches:
        return _NO_MATCHES  # most decisions: one shared empty set, not one per open shipment
    return frozenset(match.order_id for match in decision.matches)


class OpenShipments:
    """The open shipments and their indexes.

    Tracking a shipment is on every decided event's path, so it costs one pass over the event
    and a record: the indexes are brought up to date by `file`, in chunks, or by `affected`
    (a shipment that closed or was refiled before then never is filed).
    The collections hold only strings (dicts of strings are not followed by the garbage
    collector): a party is filed under its `PartyKey`, with the ids of the shipments naming it;
    its own index keys are computed when first asked for, once per party."""

    def __init__(self, window: timedelta) -> None:
        self.window = window
        self.stream_time: datetime | None = None
        self._open: dict[str, OpenShipment] = {}
        # Open shipments whose keys are not filed yet, by id, with the number of their tracking;
        # filed oldest first, from a queue of (number, id) (an entry whose shipment closed or was
        # tracked again since is skipped), so a filing can stop at a mark (`mark`).
        self._tracked = 0
        self._unfiled: dict[str, int] = {}
        self._queue: deque[tuple[int, str]] = deque()
        self._by_key: dict[str, dict[str, None]] = {}  # regions ("r"), matched orders ("o")
        self._filers: dict[PartyKey, dict[str, None]] = {}  # party -> ids of its shipments
        self._party_keys: dict[PartyKey, tuple[str, ...]] = {}  # indexed party -> its keys
        self._filers_by_key: dict[str, dict[PartyKey, None]] = {}  # party keys -> parties
        self._unindexed: dict[PartyKey, None] = {}
        # Filed tokens within one edit of a listed token are found by looking up the listed
        # token's one-edit spellings, in the filed tokens' letters, among the party keys: no
        # index of their own (a deletion-variant index of every filed token took ~1,000 bytes
        # and ~4 us of filing a shipment in the bench's traffic).
        self._alphabet = Alphabet()
        # Shipments of revoked partitions, forgotten but still in the indexes: `file` takes them
        # out first (before it files anything, so an id tracked again is filed after).
        self._dropped: deque[OpenShipment] = deque()

    def __len__(self) -> int:
        return len(self._open)

    def __contains__(self, shipment_id: object) -> bool:
        return shipment_id in self._open

    def get(self, shipment_id: str) -> OpenShipment | None:
        return self._open.get(shipment_id)

    def __iter__(self) -> Iterator[OpenShipment]:
        return iter(self.snapshot())

    def snapshot(self) -> list[OpenShipment]:
        """The open shipments as of now (a copy: the caller may close them as it goes)."""
        return list(self._open.values())

    def footprint(self) -> dict[str, int]:
        """What the state holds besides the shipments: it must shrink with them."""
        return {
            "parties": len(self._filers),
            "indexed_parties": len(self._party_keys),
            "unindexed_parties": len(self._unindexed),
            "party_keys": len(self._filers_by_key),
            "shipment_keys": len(self._by_key),
            "unfiled": len(self._unfiled),
            "queued": len(self._queue),
            "dropped": len(self._dropped),
        }

    def within_window(self, event_time: datetime) -> bool:
        return self.stream_time is None or event_time >= self.stream_time - self.window

    def advance(self, event_time: datetime) -> None:
        if self.stream_time is None or event_time > self.stream_time:
            self.stream_time = event_time

    def track(
        self, shipment: OpenShipment, event: ShipmentEvent, trace: Trace | None = None
    ) -> None:
        """Holds `shipment` (replacing what was held for its id). Its parties and regions are
        taken from `trace` (what screening the event looked at) when given, else from the event;
        its keys are filed in the indexes by the next `file` or `affected`, so a shipment that
        closes or is refiled before then never is."""
        shipment_id = shipment.shipment_id
        if shipment_id in self._open:
            self.close(shipment_id)
        if trace is None:  # a restored or re-decided shipment: walked from its event
            shipment.filers = tuple(memo_key(party) for party in _parties(event))
            regions = _region_keys(event)
        else:
            shipment.filers = tuple(trace.parties)
            regions = tuple(dict.fromkeys("r" + r for r in trace.regions)) if trace.regions else ()
        shipment.hts = _hts_codes(event)
        shipment.keys = (
            (*regions, *("o" + oid for oid in shipment.matched)) if shipment.matched else regions
        )
        self._open[shipment_id] = shipment
        number = self._tracked
        self._tracked += 1
        self._unfiled[shipment_id] = number
        self._queue.append((number, shipment_id))

    def redecided(self, shipment: OpenShipment, decision: Decision, event: ShipmentEvent) -> None:
        """Its new decision becomes the one held (and its matched orders its keys)."""
        shipment.decision_id = decision.decision_id or shipment.decision_id
        shipment.outcome = decision.outcome
        shipment.matched = matched_ids(decision)
        shipment.order_state_version = decision.order_state_version
        shipment.checked_version = decision.order_state_version
        shipment.as_of = decision.as_of
        self.track(shipment, event)

    def close(self, shipment_id: str) -> OpenShipment | None:
        shipment = self._open.pop(shipment_id, None)
        if shipment is None:
            return None
        if not self._forget_unfiled(shipment_id):
            self._unfile_shipment(shipment)
        return shipment

    def _forget_unfiled(self, shipment_id: str) -> bool:
        """True when the shipment was never filed (so it is not in the indexes)."""
        if self._unfiled.pop(shipment_id, None) is None:
            return False
        if not self._unfiled:
            self._queue.clear()  # every entry left names a closed or refiled shipment
        return True

    def _unfile_shipment(self, shipment: OpenShipment) -> None:
        shipment_id, filers = shipment.shipment_id, self._filers
        for party_key in shipment.filers:
            ids = filers.get(party_key)
            if ids is not None:
                ids.pop(shipment_id, None)
                if not ids:
                    self._unfile(party_key)
        by_key = self._by_key
        for key in shipment.keys:
            ids_ = by_key.get(key)
            if ids_ is not None:
                ids_.pop(shipment_id, None)
                if not ids_:
                    del by_key[key]

    def expired(self) -> list[OpenShipment]:
        """Closes and returns the shipments that fell out of the window (stream time)."""
        return self.expire(self.snapshot())

    def expire(self, shipments: Iterable[OpenShipment]) -> list[OpenShipment]:
        """Closes and returns those of `shipments` (from a `snapshot`, which the stream's edge
        goes through in chunks) that are still held and fell out of the window."""
        if self.stream_time is None:
            return []
        cutoff, held = self.stream_time - self.window, self._open
        old = [s for s in shipments if s.event_time < cutoff and held.get(s.shipment_id) is s]
        for shipment in old:
            self.close(shipment.shipment_id)
        return old

    def drop_partitions(self, partitions: Iterable[int]) -> int:
        """Forgets the shipments of partitions this worker no longer holds. It holds the loop
        for a pass over the open shipments: their index entries are taken out by `file` (in
        chunks, before it files anything), not here, inside the rebalance."""
        gone = set(partitions)
        held, dropped = self._open, self._dropped
        leaving = [s for s in held.values() if s.partition in gone]
        for shipment in leaving:
            del held[shipment.shipment_id]
            if not self._forget_unfiled(shipment.shipment_id):
                dropped.append(shipment)
        return len(leaving)

    @property
    def pending(self) -> int:
        """Index work not done yet: dropped shipments to take out, shipments to file (queued),
        parties to index."""
        return len(self._dropped) + len(self._queue) + len(self._unindexed)

    def mark(self) -> int:
        """A mark in the tracking order: `file` and `affected` can stop at it (the shipments
        tracked from then on were decided against the order state of the moment)."""
        return self._tracked

    def file(self, budget: int | None = None, until: int | None = None) -> bool:
        """Brings the indexes up to date, at most `budget` units of work (a dropped shipment
        taken out, a shipment filed under its parties and keys, a party's keys indexed; None:
        all of it), the shipments tracked before `until` (a `mark`; None: all); True when
        nothing of that is left. The stream's edge calls it in
        chunks, so no single call holds the event loop for long, however many shipments wait."""
        left = -1 if budget is None else budget
        left = self._take_out_dropped(left)  # first: an id tracked again is filed after
        left = self._file_shipments(left, until)
        left = self._index_parties(left)
        queue = self._queue
        filed = not queue or (until is not None and queue[0][0] >= until)
        return filed and not self._dropped and not self._unindexed

    def affected(
        self, previous: Order | None, order: Order, until: int | None = None
    ) -> list[OpenShipment]:
        """The open shipments an update from `previous` to `order` can change (a superset); with
        `until` (a `mark`), of those tracked before it."""
        self.file(until=until)
        versions = [o for o in (previous, order) if o is not None]
        found: set[str] = set(self._by_key.get("o" + order.order_id, ()))
        filers_by_key, filers = self._filers_by_key, self._filers
        for version in versions:
            for key in self._order_keys(version):
                if key[0] == "r":
                    found.update(self._by_key.get(key, ()))
                    continue
                for party_key in filers_by_key.get(key, ()):
                    found.update(filers[party_key])
        prefixes = _prefixes(versions)
        shipments = (self._open[sid] for sid in sorted(found) if sid in self._open)
        if prefixes is None:
            return list(shipments)
        return [s for s in shipments if any(code.startswith(prefixes) for code in s.hts)]

    # Each step below takes at most `left` units (negative: no limit) and returns what is left.

    def _take_out_dropped(self, left: int) -> int:
        dropped = self._dropped
        while dropped and left:
            self._unfile_shipment(dropped.popleft())
            left -= 1
        return left

    def _file_shipments(self, left: int, until: int | None) -> int:
        """Files shipments tracked since they were last filed under their parties and keys."""
        queue, unfiled, held = self._queue, self._unfiled, self._open
        filers, unindexed, by_key = self._filers, self._unindexed, self._by_key
        while queue and left:
            number, shipment_id = queue[0]
            if until is not None and number >= until:
                break
            queue.popleft()
            if unfiled.get(shipment_id) != number:
                continue  # closed, or tracked again since (a later entry files it)
            del unfiled[shipment_id]
            left -= 1
            shipment = held[shipment_id]
            for filer in shipment.filers:
                if filer not in filers:
                    unindexed[filer] = None
                filers.setdefault(filer, {})[shipment_id] = None
            for key in shipment.keys:
                by_key.setdefault(key, {})[shipment_id] = None
        return left

    def _index_parties(self, left: int) -> int:
        # A party is unindexed from its filing until here; `_unfile` drops it from both.
        unindexed, by_key = self._unindexed, self._filers_by_key
        while unindexed and left:
            party_key = unindexed.popitem()[0]
            left -= 1
            keys = self._party_keys[party_key] = _party_keys(party_key)
            for key in keys:
                held = by_key.get(key)
                if held is None:
                    by_key[key] = {party_key: None}
                    if not key.isascii() and key[0] == "t":
                        self._alphabet.note(key[1:])
                else:
                    held[party_key] = None
        return left

    def _unfile(self, party_key: PartyKey) -> None:
        del self._filers[party_key]
        self._unindexed.pop(party_key, None)
        by_key = self._filers_by_key
        for key in self._party_keys.pop(party_key, ()):
            held = by_key.get(key)
            if held is not None:
                held.pop(party_key, None)
                if not held:
                    del by_key[key]

    def _order_keys(self, order: Order) -> Iterator[str]:
        if order.region is not None:
            yield "r" + order.region
        tokens: dict[str, None] = {}  # an entity's names and aliases share most of theirs
        for listing in listings_of(order):
            if listing.rule is MatchRule.MID:
                yield "m" + listing.key
            elif listing.rule is MatchRule.NATIVE_NAME:
                yield "n" + listing.key
                if len(listing.key) >= _NATIVE_SUBSTRING_MIN:
                    yield "g" + listing.key[:2]
            else:
                yield "e" + listing.key
                tokens.update(dict.fromkeys(listing.distinctive))
        filed, letters = self._filers_by_key, self._alphabet.letters
        for token in tokens:
            for spelling in one_edit_spellings(token, letters):
                if "t" + spelling in filed and within_one_edit(token, spelling):
                    yield "t" + spelling


def _region_keys(event: ShipmentEvent) -> tuple[str, ...]:
    """The regions the production addresses signal: the fields `subjects.shipment_signals` and
    `subjects.line_signals` read, without building their evidence paths."""
    keys: list[str] = []
    for party in event.parties:
        if party.address is not None and party.role in PRODUCTION_ROLES:
            keys += _address_regions(party.address)
    for line in event.lines:
        if line.manufacturer.address is not None:
            keys += _address_regions(line.manufacturer.address)
        for item in line.inputs:
            # as screening reads an origin: its recognised code, else a place its text names
            if item.origin_region_code is not None:
                keys.append("r" + item.origin_region_code)
            elif item.origin_region is not None:
                place = place_signal("origin_region", item.origin_region)
                if place is not None:
                    keys.append("r" + place.region)
            if item.producer is not None and item.producer.address is not None:
                keys += _address_regions(item.producer.address)
    return tuple(dict.fromkeys(keys)) if keys else ()


_REGIONS_MEMO: dict[tuple[str | None, ...], tuple[str, ...]] = {}


def _address_regions(address: Address) -> tuple[str, ...]:
    """Region keys of an address, memoised on the fields signals read: the same factory
    addresses recur, and the keys are then one look-up."""
    fields = (address.region, address.postal_code, address.city, address.province, address.country)
    regions = _REGIONS_MEMO.get(fields)
    if regions is None:
        if len(_REGIONS_MEMO) >= 65_536:
            _REGIONS_MEMO.clear()
        found = {"r" + signal.region for signal in address_signals(address)}
        regions = _REGIONS_MEMO[fields] = tuple(sorted(found))
    return regions


def _parties(event: ShipmentEvent) -> Iterator[Party]:
    """The parties screening looks up, in its order (`screening.Trace.parties`)."""
    yield event.importer_of_record
    yield from event.parties
    for line in event.lines:
        yield line.manufacturer
        for item in line.inputs:
            if item.producer is not None:
                yield item.producer


def _party_keys(party: PartyKey) -> tuple[str, ...]:
    name, native_name, mid = (party, None, None) if isinstance(party, str) else party
    keys: list[str] = []
    if mid:
        keys.append("m" + normalise_mid(mid))
    for value in (name, native_name):
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
    for line in event.lines:
        if line.inputs:
            codes.extend(item.hts_code for item in line.inputs if item.hts_code)
    return tuple(codes)


def _prefixes(versions: list[Order]) -> tuple[str, ...] | None:
    prefixes: list[str] = []
    for version in versions:
        if version.hts_prefixes is None:
            return None
        prefixes.extend(version.hts_prefixes)
    return tuple(prefixes)
