"""The decision: one shipment event, the order state, an as-of time -> DETAIN, RELEASE or REFER.

Pure: no I/O, no clock, no globals. An order applies to a line when it is in force on the as-of
date (for goods of the line's production date), its merchandise scope covers the line's HTS code
(or, for an upstream input, the input's), no exempted party takes part, and its entities or its
region hit the line. The outcome is DETAIN when any order applies. With a review band, a shipment
no order applies to at the automatic threshold but one would at `threshold - band` is REFERred
to an officer with that evidence and its score (off by default: today's DETAIN/RELEASE).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial

from laborguard_contracts import (
    Decision,
    Evidence,
    MatchRule,
    OrderMatch,
    Outcome,
    ReferralReason,
    ShipmentEvent,
    ShipmentLine,
)
from laborguard_screener.engine.matching import NameHit, PartyKey
from laborguard_screener.engine.names import name_key
from laborguard_screener.engine.orderbook import BookedOrder, OrderBook
from laborguard_screener.engine.regions import address_signals, mid_city_signal
from laborguard_screener.engine.subjects import (
    LocatedSignal,
    Matcher,
    Subject,
    line_hits,
    line_signals,
    shipment_hits,
    shipment_signals,
)

ENGINE_VERSION = "laborguard-engine/1.0.0"


@dataclass(frozen=True, slots=True)
class ScreeningPolicy:
    # Lowest name similarity (0-100) a fuzzy match may have; exact, alias and MID rules ignore it.
    fuzzy_threshold: float = 90.0
    # Width of the band below `fuzzy_threshold` whose near matches go to an officer (REFER);
    # 0 turns it off. Only fuzzy similarity has a band: exact, alias and MID rules ignore it.
    review_band: float = 0.0

    @property
    def review_threshold(self) -> float | None:
        return self.fuzzy_threshold - self.review_band if self.review_band > 0 else None


DEFAULT_POLICY = ScreeningPolicy()


@dataclass(slots=True)
class Trace:
    """What screening looked at, for a caller that indexes the shipment (ongoing screening), so
    that it need not walk the event again: every party looked up (importer, parties,
    manufacturers, upstream producers; by memo key, repeats included) and every region the
    production addresses and upstream origins signal (repeats included)."""

    parties: list[PartyKey] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)


_Found = dict[str, dict[tuple[object, ...], Evidence]]


def screen(
    event: ShipmentEvent,
    book: OrderBook,
    *,
    decided_at: datetime,
    as_of: datetime | None = None,
    policy: ScreeningPolicy = DEFAULT_POLICY,
    trace: Trace | None = None,
) -> Decision:
    """`trace`, when given, is filled with what the screening looked at (see `Trace`)."""
    as_of = as_of or event.event_time
    on = as_of.date()
    matches = _matches(event, book, on, policy.fuzzy_threshold, trace)
    outcome, referral = (Outcome.DETAIN, None) if matches else (Outcome.RELEASE, None)
    review_threshold = policy.review_threshold
    if not matches and review_threshold is not None:
        # Most shipments are clear at both thresholds; the look-ups at the lower one are
        # memoised apart, so the band costs a second pass only over names seen for the first time.
        matches = _matches(event, book, on, review_threshold)
        if matches:
            outcome, referral = Outcome.REFER, ReferralReason.NEAR_MATCH
    return Decision(
        shipment_id=event.shipment_id,
        event_id=event.event_id,
        outcome=outcome,
        matches=matches,
        fuzzy_threshold=policy.fuzzy_threshold,
        order_state_version=book.version,
        orders_in_state=len(book),
        engine_version=ENGINE_VERSION,
        event_time=event.event_time,
        as_of=as_of,
        decided_at=decided_at,
        decision_id=decision_id(
            event.event_id, book.version, on if on != event.event_time.date() else None
        ),
        referral=referral,
        review_threshold=review_threshold if referral is not None else None,
    )


def decision_id(event_id: str, order_state_version: str, on: date | None = None) -> str:
    """The identity of a decision: this event decided against this order state, as of `on` when
    that is not the event's own date (a re-decision as of an order's commit or of a date in its
    timeline: coverage is by date). A repeat of the same decision, by a redelivery or another
    worker, has the same id; two decisions with the same id have the same outcome and matches."""
    if on is None:
        return f"{event_id}@{order_state_version}"
    return f"{event_id}@{order_state_version}@{on.isoformat()}"


def _matches(
    event: ShipmentEvent, book: OrderBook, on: date, threshold: float, trace: Trace | None = None
) -> tuple[OrderMatch, ...]:
    found = _find(event, book, on, threshold, trace)
    return tuple(_order_match(book.booked(oid), found[oid]) for oid in sorted(found))


def _find(
    event: ShipmentEvent, book: OrderBook, on: date, threshold: float, trace: Trace | None
) -> _Found:
    found: _Found = {}
    seen = trace.parties if trace is not None else None
    match = partial(book.names.match, threshold=threshold, seen=seen)
    shared = shipment_hits(event, match)
    shared_signals = shipment_signals(event)
    if trace is not None and shared_signals:
        trace.regions.extend(located.signal.region for located in shared_signals)
    for index, line in enumerate(event.lines):
        # A plainly clear line has no input, and no signal at its manufacturer's address.
        if not (shared or shared_signals or line.inputs) and _plainly_clear(line, match):
            continue  # the common case: nothing on this line matches anything
        named = line_hits(index, line, match)
        signals = line_signals(index, line)
        if trace is not None and signals:
            trace.regions.extend(located.signal.region for located in signals)
        scope = _LineScope(event, line, on)
        for subject, hits in (*shared, *named):
            _keep_names(subject, hits, scope, book, found)
        regional: set[str] = set()
        for located in (*shared_signals, *signals):
            regional |= _match_region(located, scope, book, found)
        if regional:
            _support_with_mid(index, scope, regional, book, found)
    return found


def _plainly_clear(line: ShipmentLine, match: Matcher) -> bool:
    maker = line.manufacturer
    return not match(maker) and not address_signals(maker.address)


class _LineScope:
    """One line's facts that decide whether an order reaches it."""

    def __init__(self, event: ShipmentEvent, line: ShipmentLine, on: date) -> None:
        self.event = event
        self.line = line
        self.on = on
        self._party_keys: frozenset[str] | None = None

    def reaches(self, booked: BookedOrder, input_hts: str | None) -> bool:
        covers_goods = booked.covers_hts(self.line.hts_code) or (
            input_hts is not None and booked.covers_hts(input_hts)
        )
        if not covers_goods:
            return False
        lifecycle = booked.lifecycle
        if not lifecycle.in_force(self.on, self.line.production_date):
            return False
        return not (
            lifecycle.has_exemptions and self.party_keys & lifecycle.exempt_parties(self.on)
        )

    @property
    def party_keys(self) -> frozenset[str]:
        """Normalised names of the parties an exemption may name."""
        if self._party_keys is None:
            parties = (self.event.importer_of_record, *self.event.parties, self.line.manufacturer)
            self._party_keys = frozenset(name_key(party.name).text for party in parties)
        return self._party_keys


def _keep_names(
    subject: Subject,
    hits: tuple[NameHit, ...],
    scope: _LineScope,
    book: OrderBook,
    found: _Found,
) -> None:
    for hit in hits:
        booked = book.booked(hit.listing.order_id)
        if not scope.reaches(booked, subject.input_hts):
            continue
        evidence = Evidence(
            line_number=scope.line.line_number,
            rule=MatchRule.UPSTREAM_PRODUCER if subject.upstream else hit.rule,
            subject=f"{subject.path}.{hit.field}",
            observed=hit.observed,
            matched=hit.listing.listed,
            score=hit.score,
        )
        _keep(found, hit.listing.order_id, evidence)


def _match_region(
    located: LocatedSignal, scope: _LineScope, book: OrderBook, found: _Found
) -> set[str]:
    """Region orders the signal brings to the line (their ids)."""
    signal = located.signal
    reached = set()
    for order_id in book.region_orders(signal.region):
        if not scope.reaches(book.booked(order_id), located.input_hts):
            continue
        reached.add(order_id)
        evidence = Evidence(
            line_number=scope.line.line_number,
            rule=signal.rule,
            subject=located.path,
            observed=signal.observed,
            matched=signal.matched,
        )
        _keep(found, order_id, evidence)
    return reached


def _support_with_mid(
    index: int, scope: _LineScope, order_ids: set[str], book: OrderBook, found: _Found
) -> None:
    """The manufacturer's MID city part, added to region matches already made on the line."""
    signal = mid_city_signal(scope.line.manufacturer.mid)
    if signal is None:
        return
    evidence = Evidence(
        line_number=scope.line.line_number,
        rule=signal.rule,
        subject=f"lines[{index}].manufacturer.mid",
        observed=signal.observed,
        matched=signal.matched,
    )
    for order_id in order_ids:
        if book.booked(order_id).order.region == signal.region:
            _keep(found, order_id, evidence)


# When one field matches an order twice (a name that is also an alias), the stronger rule stays.
_RULE_RANK = {
    MatchRule.MID: 0,
    MatchRule.EXACT_NAME: 1,
    MatchRule.ALIAS: 2,
    MatchRule.NATIVE_NAME: 3,
    MatchRule.UPSTREAM_PRODUCER: 4,
    MatchRule.FUZZY_NAME: 5,
}


def _keep(found: _Found, order_id: str, evidence: Evidence) -> None:
    held = found.setdefault(order_id, {})
    key = (evidence.line_number, evidence.subject)
    if key not in held or _strength(evidence) < _strength(held[key]):
        held[key] = evidence


def _strength(evidence: Evidence) -> tuple[int, float, str]:
    return (_RULE_RANK.get(evidence.rule, 9), -(evidence.score or 100.0), evidence.matched)


def _order_match(booked: BookedOrder, evidence: dict[tuple[object, ...], Evidence]) -> OrderMatch:
    order = booked.order
    return OrderMatch(
        order_id=order.order_id,
        order_version=order.version,
        kind=order.kind,
        action=order.action,
        evidence=tuple(evidence[key] for key in sorted(evidence, key=_sort_key)),
    )


def _sort_key(key: tuple[object, ...]) -> tuple[str, ...]:
    return tuple(f"{part:08d}" if isinstance(part, int) else str(part) for part in key)
