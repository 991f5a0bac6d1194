"""Dates in an order's timeline reach the open shipments: the pure parts, no broker, no clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from laborguard_contracts import Order, Outcome
from laborguard_contracts.codec import encode
from laborguard_screener.changelog import decode_open, encode_open, restored
from laborguard_screener.coveragedates import CoverageDates, moments, passed_between
from laborguard_screener.engine.orderbook import OrderBook
from laborguard_screener.engine.screening import DEFAULT_POLICY, screen
from laborguard_screener.openshipments import OpenShipment, OpenShipments
from laborguard_screener.rescreening import rescreen
from testbed.factory import shipment

from .fleet import LISTED, fleet, wro

pytestmark = pytest.mark.unit
FILED = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
IN_FORCE = date(2026, 12, 3)  # two days after the shipments were filed
REVOKED = date(2026, 12, 8)
COMMITTED = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # announced ahead of its date


def _start(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), UTC)


def _dated(version: int = 1, revoked: date | None = None) -> Order:
    """The fleet's WRO, in force from IN_FORCE (committed before it)."""
    return wro(version, COMMITTED, revoked=revoked, in_force=IN_FORCE)


def test_moments_are_the_starts_of_the_timeline_dates_in_utc() -> None:
    assert moments(_dated(revoked=REVOKED)) == {_start(IN_FORCE), _start(REVOKED)}


def test_coverage_dates_hand_back_the_moments_the_stream_time_passed() -> None:
    dates = CoverageDates()
    dates.add(_dated())  # not started: the whole book is read at the start
    assert dates.next_at is None

    dates.start([_dated(), wro()], FILED)  # wro() came into force in 2024: nothing to come
    assert dates.next_at == _start(IN_FORCE)
    assert dates.due(FILED + timedelta(hours=1)) == {}

    dates.add(_dated(2, revoked=REVOKED))  # an update: its new date; the old one again, harmless
    assert dates.due(_start(IN_FORCE) + timedelta(minutes=5)) == {"wro-korvanti": _start(IN_FORCE)}
    assert dates.next_at == _start(REVOKED)
    assert dates.due(_start(REVOKED) - timedelta(seconds=1)) == {}
    assert dates.due(_start(REVOKED)) == {"wro-korvanti": _start(REVOKED)}
    assert dates.next_at is None

    dates.add(_dated(3, revoked=REVOKED))  # dates already passed are not held again
    assert dates.next_at is None


def test_coverage_dates_say_which_moments_handed_back_a_late_decision_missed() -> None:
    """A shipment decided as of a moment before one already handed back (its event came after
    the stream time passed the date) missed it: the per-event check, and the moments it
    missed (each order's latest)."""
    dates = CoverageDates()
    dates.start([_dated(revoked=REVOKED)], FILED)
    assert not dates.missed_by(FILED)  # nothing handed back yet
    dates.due(_start(IN_FORCE) + timedelta(hours=1))
    assert dates.missed_by(FILED) and not dates.missed_by(_start(IN_FORCE))
    assert dates.handed_after(FILED) == {"wro-korvanti": _start(IN_FORCE)}
    assert dates.handed_after(_start(IN_FORCE)) == {}
    dates.due(_start(REVOKED))
    assert dates.handed_after(FILED) == {"wro-korvanti": _start(REVOKED)}
    assert dates.handed_after(_start(IN_FORCE)) == {"wro-korvanti": _start(REVOKED)}


def test_passed_between_gives_each_order_its_latest_moment_in_the_interval() -> None:
    orders = [_dated(revoked=REVOKED), wro().model_copy(update={"order_id": "wro-old"})]
    assert passed_between(orders, FILED, FILED + timedelta(days=1)) == {}
    assert passed_between(orders, FILED, _start(IN_FORCE)) == {"wro-korvanti": _start(IN_FORCE)}
    everything = passed_between(orders, FILED, _start(REVOKED) + timedelta(days=1))
    assert everything == {"wro-korvanti": _start(REVOKED)}


def _open(
    book: OrderBook, count: int, covered: int
) -> tuple[OpenShipments, dict[str, str], set[str]]:
    events, hit = fleet(count, covered)
    state = OpenShipments(timedelta(days=45))
    firsts = {}
    for event in events:
        event = event.model_copy(update={"event_time": FILED})
        decision = screen(event, book, decided_at=FILED)
        state.advance(event.event_time)
        state.track(OpenShipment.of(0, encode(event), event, decision), event)
        firsts[event.shipment_id] = decision.decision_id or ""
    return state, firsts, hit


def test_an_order_committed_ahead_of_its_date_changes_the_open_shipments_when_it_comes() -> None:
    issued = _dated()
    book = OrderBook.of([issued])
    state, firsts, covered = _open(book, 2_000, 20)  # filed while it is not yet in force
    assert all(s.outcome is Outcome.RELEASE for s in state)

    # Re-decided as of its commit, it is not yet in force: no open shipment's decision changes.
    at_commit = [
        rescreen(s, book, DEFAULT_POLICY, decided_at=COMMITTED, as_of=COMMITTED)
        for s in state.affected(None, issued)
    ]
    assert at_commit and not any(at_commit)

    # Its date: the same shipments, against the same order state, now DETAIN.
    moment = _start(IN_FORCE)
    detained = []
    for held in state.affected(None, issued):
        redecided = rescreen(held, book, DEFAULT_POLICY, decided_at=moment, as_of=moment)
        if redecided is not None:
            state.redecided(held, redecided.decision, redecided.event)
            detained.append(redecided.decision)
    assert {d.shipment_id for d in detained} == covered
    assert {d.outcome for d in detained} == {Outcome.DETAIN}
    for decision in detained:
        assert decision.supersedes == firsts[decision.shipment_id]
        # the same event against the same order state, as of another date: another decision
        assert decision.decision_id == f"{firsts[decision.shipment_id]}@{IN_FORCE.isoformat()}"
        assert decision.as_of == moment
        assert decision.cause is not None and decision.cause.order_id == "wro-korvanti"


def test_a_re_decision_is_never_made_as_of_a_moment_before_the_decision_held() -> None:
    """An update committed before the held decision's date (a revocation dated ahead) is
    decided as of that date, not as of its commit: going back would undo the date's DETAIN."""
    book = OrderBook.of([_dated()])
    event = shipment(1, LISTED, "CN", event_time=FILED)
    held = OpenShipment.of(0, encode(event), event, screen(event, book, decided_at=FILED))
    assert held.outcome is Outcome.RELEASE
    moment = _start(IN_FORCE)
    detained = rescreen(held, book, DEFAULT_POLICY, decided_at=moment, as_of=moment)
    assert detained is not None and detained.decision.outcome is Outcome.DETAIN
    state = OpenShipments(timedelta(days=45))
    state.advance(moment)
    state.redecided(held, detained.decision, detained.event)
    assert held.as_of == moment

    revoking = _dated(2, revoked=REVOKED)
    book.apply(revoking)
    # committed before the detention's date: as of the held decision's date, still in force
    assert rescreen(held, book, DEFAULT_POLICY, decided_at=moment, as_of=COMMITTED) is None
    released = rescreen(held, book, DEFAULT_POLICY, decided_at=moment, as_of=_start(REVOKED))
    assert released is not None and released.decision.outcome is Outcome.RELEASE
    assert released.decision.supersedes == detained.decision.decision_id


def test_the_changelog_keeps_a_decision_as_of_later_than_its_event_and_only_then() -> None:
    book = OrderBook.of([_dated()])
    event = shipment(1, LISTED, "CN", event_time=FILED)
    plain = OpenShipment.of(0, encode(event), event, screen(event, book, decided_at=FILED), 7)
    assert b"as_of" not in encode_open(plain)  # the common case: as of the event's own time

    moment = _start(IN_FORCE)
    redecided = rescreen(plain, book, DEFAULT_POLICY, decided_at=moment, as_of=moment)
    assert redecided is not None
    OpenShipments(timedelta(days=45)).redecided(plain, redecided.decision, event)
    record = decode_open(encode_open(plain))
    assert record.as_of == moment
    back = restored(record, encode(event), event)
    assert back.as_of == moment and back.decision_id == redecided.decision.decision_id
