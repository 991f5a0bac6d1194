"""Ongoing screening and referrals, the pure parts: no broker, no clock."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from typing import Any

import pytest
from aiokafka import ConsumerRecord

from laborguard_contracts import (
    ContractError,
    Order,
    OrderKind,
    Outcome,
    ShipmentEvent,
    ShipmentEventType,
    TimelineEvent,
    TimelineEventKind,
)
from laborguard_contracts.codec import decode, dumps, encode, loads
from laborguard_contracts.seed import load_seed
from laborguard_screener import ongoing as ongoing_module
from laborguard_screener.changelog import (
    decode_open,
    encode_open,
    restore,
    restored,
    wanted_sources,
)
from laborguard_screener.deadletter import DeadLetter, SourceRecord
from laborguard_screener.engine.orderbook import OrderBook
from laborguard_screener.engine.screening import DEFAULT_POLICY, ScreeningPolicy, Trace, screen
from laborguard_screener.intake import Screened, take_in
from laborguard_screener.ongoing import ChangelogRead, OngoingScreening
from laborguard_screener.openshipments import OpenShipment, OpenShipments
from laborguard_screener.orderstate import OrderFeed
from laborguard_screener.outbox import Outbox
from laborguard_screener.referral import refer_invalid
from laborguard_screener.rescreening import Redecided, rescreen
from laborguard_screener.settings import ScreenerSettings
from testbed.factory import EVENT_TIME, entity_order, shipment

from .fleet import LISTED, NEAR_MISSES, fleet, wro
from .restoring import SentRecords, changelog_values, held_events, screen_while_restoring

pytestmark = pytest.mark.unit
DECIDED = datetime(2026, 12, 1, tzinfo=UTC)
WINDOW = timedelta(days=45)
Restored = tuple[list[OpenShipment], datetime | None]  # a restore's: `_restore_from_kafka`


def _open_fleet(
    events: list[ShipmentEvent], book: OrderBook
) -> tuple[OpenShipments, dict[str, str]]:
    state = OpenShipments(WINDOW)
    ids = {}
    for event in events:
        decision = screen(event, book, decided_at=DECIDED)
        state.advance(event.event_time)
        state.track(OpenShipment.of(0, encode(event), event, decision), event)
        ids[event.shipment_id] = decision.decision_id or ""
    return state, ids


def _redecide(
    state: OpenShipments, book: OrderBook, previous: Order | None, order: Order
) -> list[Redecided]:
    done = []
    for shipment_ in state.affected(previous, order):
        redecided = rescreen(
            shipment_,
            book,
            DEFAULT_POLICY,
            decided_at=DECIDED,
            as_of=order.updated_at,
            trigger=order,
        )
        if redecided is not None:
            state.redecided(shipment_, redecided.decision, redecided.event)
            done.append(redecided)
    return done


def test_new_wro_supersedes_exactly_the_covered_open_shipments_and_revoking_it_releases_them() -> (
    None
):
    events, covered = fleet(10_000, 150)
    book = OrderBook.of(load_seed())
    state, first_ids = _open_fleet(events, book)

    issued = wro(committed_at=DECIDED)
    book.apply(issued)
    detained = _redecide(state, book, None, issued)

    assert {r.decision.shipment_id for r in detained} == covered
    assert {r.decision.outcome for r in detained} == {Outcome.DETAIN}
    for redecided in detained:
        decision = redecided.decision
        assert decision.supersedes == first_ids[decision.shipment_id]
        assert decision.cause is not None and decision.cause.order_id == "wro-korvanti"
        assert decision.cause.order_version == 1 and decision.as_of == DECIDED

    revoked = wro(2, DECIDED + timedelta(days=1), revoked=date(2026, 12, 2))
    book.apply(revoked)
    released = _redecide(state, book, issued, revoked)

    assert {r.decision.shipment_id for r in released} == covered
    assert {r.decision.outcome for r in released} == {Outcome.RELEASE}
    by_id = {r.decision.shipment_id: r.decision for r in detained}
    for redecided in released:
        decision = redecided.decision
        assert decision.supersedes == by_id[decision.shipment_id].decision_id
        assert decision.cause is not None and decision.cause.order_version == 2


def test_an_order_update_reaches_open_shipments_through_the_indexes_not_a_scan() -> None:
    events, covered = fleet(2_000, 20)
    state, _ = _open_fleet(events, OrderBook())
    candidates = {s.shipment_id for s in state.affected(None, wro())}
    # the covered ones and the near misses sharing a distinctive word, nothing else
    assert covered <= candidates and len(candidates) < 60


def test_an_update_reaches_a_filed_name_one_letter_from_the_listed_one_in_any_script() -> None:
    """A listed token finds the filed tokens one edit from it by its spellings: in letters a name
    keeps when it has no transliteration too (here a Khmer letter the listed token lacks)."""
    listed, typo, other = "កខគឃងច Trading", "កខគឃងជ Trading", "កខគឃញញ Trading"
    events = [shipment(n, name, "CN") for n, name in enumerate((listed, typo, other, LISTED))]
    state, _ = _open_fleet(events, OrderBook())
    found = {s.shipment_id for s in state.affected(None, entity_order(1, listed))}
    assert found == {"shp-0", "shp-1"}
    assert {s.shipment_id for s in state.affected(None, wro())} == {"shp-3"}


def test_hts_scope_narrows_the_candidates() -> None:
    events = [shipment(1, LISTED, "CN", hts_code="6109.10.0012")]
    events.append(shipment(2, LISTED, "CN", hts_code="8501.10.0000"))
    state, _ = _open_fleet(events, OrderBook())
    assert [s.shipment_id for s in state.affected(None, wro())] == ["shp-1"]


def _xinjiang_cotton() -> Order:
    return Order(
        order_id="region-xj",
        version=1,
        kind=OrderKind.REGION_ORDER,
        title="XUAR cotton",
        region="CN-XJ",
        hts_prefixes=("61",),
        timeline=(TimelineEvent(kind=TimelineEventKind.IN_FORCE, effective=date(2021, 1, 13)),),
    )


def test_region_order_reaches_shipments_whose_production_addresses_signal_the_region() -> None:
    inland = shipment(1)
    urumqi = ShipmentEvent.model_validate(
        {
            **shipment(2).model_dump(mode="json"),
            "lines": [
                {
                    **shipment(2).lines[0].model_dump(mode="json"),
                    "manufacturer": {"name": "Tianchi Yarn", "address": {"postal_code": "830017"}},
                }
            ],
        }
    )
    state, _ = _open_fleet([inland, urumqi], OrderBook())
    assert [s.shipment_id for s in state.affected(None, _xinjiang_cotton())] == ["shp-2"]


@pytest.mark.parametrize("origin", ["XUAR", "Hotan prefecture", "CN-XJ"])
def test_region_order_reaches_shipments_whose_upstream_origin_names_the_region(
    origin: str,
) -> None:
    """An origin filed as text is recognised as screening recognises it (a code, or a place
    the text names), not filed under the raw text (which no region order carries)."""
    base = shipment(2).model_dump(mode="json")
    line = {**base["lines"][0], "inputs": [{"material": "cotton", "origin_region": origin}]}
    traced = ShipmentEvent.model_validate({**base, "lines": [line]})
    state, _ = _open_fleet([shipment(1), traced], OrderBook())
    assert [s.shipment_id for s in state.affected(None, _xinjiang_cotton())] == ["shp-2"]


def test_window_follows_stream_time_and_expired_shipments_close() -> None:
    old, new = shipment(1), shipment(2, event_time=EVENT_TIME + timedelta(days=46))
    state, _ = _open_fleet([old, new], OrderBook())
    assert [s.shipment_id for s in state.expired()] == ["shp-1"]
    assert len(state) == 1 and not state.within_window(EVENT_TIME)


def test_state_shrinks_back_to_nothing_when_its_shipments_close_or_expire() -> None:
    events, _ = fleet(500, 20)
    state, _ = _open_fleet(events, OrderBook())
    state.affected(None, wro())  # indexes the parties seen so far
    more, _ = fleet(200, 10, first=1_000)
    for event in more:
        state.track(
            OpenShipment.of(
                0, encode(event), event, screen(event, OrderBook(), decided_at=DECIDED)
            ),
            event,
        )
    for event in events[:100]:
        state.close(event.shipment_id)
    state.advance(EVENT_TIME + WINDOW + timedelta(days=1))
    assert len(state.expired()) == 600 and len(state) == 0
    assert set(state.footprint().values()) == {0}


def test_shipments_are_filed_in_the_indexes_only_when_asked() -> None:
    events, _ = fleet(50, 5)
    state, _ = _open_fleet(events, OrderBook())
    before = state.footprint()
    assert before["unfiled"] == 50 and before["parties"] == 0 == before["shipment_keys"]
    for event in events[:10]:  # closed before any update: never filed
        state.close(event.shipment_id)
    assert state.footprint()["unfiled"] == 40
    found = state.affected(None, wro())
    after = state.footprint()
    assert after["unfiled"] == 0 and after["parties"] > 0
    assert {s.shipment_id for s in found} <= {e.shipment_id for e in events[10:]}


def test_indexes_are_filed_in_chunks_with_the_result_of_filing_them_at_once() -> None:
    """`file(budget)` does at most `budget` units of work a call; shipments closed, refiled or
    tracked between the chunks leave the indexes as one filing of the final state would."""
    events, _ = fleet(300, 15)
    more, _ = fleet(100, 5, first=1_000)
    whole, _ = _open_fleet(events[50:] + more, OrderBook())
    chunked, _ = _open_fleet(events, OrderBook())
    assert chunked.pending == 300
    calls = 0
    while True:
        before = chunked.pending
        done = chunked.file(40)
        calls += 1
        assert before - chunked.pending <= 40  # a chunk's new party work comes later
        if calls == 3:  # between chunks: the stream closes some, and tracks new ones
            for event in events[:50]:
                chunked.close(event.shipment_id)
            for event in more:
                _track(chunked, event)
        if done:
            break
    assert calls > 400 // 40 and chunked.pending == 0
    found = [s.shipment_id for s in chunked.affected(None, wro())]
    assert found == [s.shipment_id for s in whole.affected(None, wro())] and found
    for event in events[50:] + more:
        chunked.close(event.shipment_id)
    chunked.file()
    assert set(chunked.footprint().values()) == {0}


async def test_filing_lets_the_stream_go_on_between_chunks_and_stops_at_its_mark() -> None:
    """The edge files what was tracked before its mark in chunks of `batch_size`, yielding to
    the loop between them: a large open population never holds the stream (or the group's
    heartbeats), and the shipments the stream tracks meanwhile are not chased."""
    ongoing = _edge()
    state = ongoing.state
    events, _ = fleet(2_000, 20)
    arriving, _ = fleet(500, 5, first=10_000)
    for event in events:
        _track(state, event)
    mark = state.mark()
    seen: list[int] = []

    async def stream() -> None:
        for event in arriving:  # one shipment decided between two chunks
            seen.append(state.footprint()["unfiled"])
            _track(state, event)
            await asyncio.sleep(0)

    await asyncio.gather(stream(), ongoing.file_pending(mark))
    assert len(seen) > 2_000 // 100  # the stream ran between every chunk
    assert all(earlier + 1 - later <= 100 for earlier, later in pairwise(seen))
    assert state.footprint()["unfiled"] == 500  # the ones tracked after the mark wait
    found = {s.shipment_id for s in state.affected(None, wro(), until=mark)}
    assert found and found <= {e.shipment_id for e in events}
    everything = {s.shipment_id for s in state.affected(None, wro())}
    assert everything - found and everything - found <= {e.shipment_id for e in arriving}


async def test_many_orders_are_looked_up_with_the_stream_going_on_between() -> None:
    """An update of thousands of orders (one fetch of the orders topic, or those read since a
    restored shipment's last check) is looked up `LOOKUPS_PER_TURN` orders at a time."""
    ongoing = _edge()
    events, _ = fleet(300, 3)
    for event in events:
        _track(ongoing.state, event)
    ongoing.state.file()  # no filing to yield for: only the look-ups' own turns count
    orders = [entity_order(n, f"Quorvandel Textile {n:04d}") for n in range(250)]
    for n, order in enumerate(orders):
        ongoing.feed.book.apply(order)
        ongoing.feed.applied[order.order_id] = n
    ongoing.feed.position = len(orders)
    for shipment_ in ongoing.state.snapshot():
        shipment_.checked_to = 0  # every order was read since its check
    turns = 0

    async def stream() -> None:
        nonlocal turns
        while True:
            turns += 1
            await asyncio.sleep(0)

    for look_up in (
        ongoing.orders_changed([(None, order) for order in orders]),
        ongoing._stale(ongoing.state.snapshot()),
    ):
        turns = 0
        streaming = asyncio.ensure_future(stream())
        await asyncio.sleep(0)
        started = turns
        await look_up
        streaming.cancel()
        assert turns - started >= len(orders) // ongoing_module.LOOKUPS_PER_TURN


def _edge(
    sending: Callable[[], Awaitable[Outbox[Any]]] | None = None, **more: float
) -> OngoingScreening:
    """The worker's ongoing screening, with an empty book and chunks of 100 (`more`: other
    settings)."""
    settings = ScreenerSettings(batch_size=100, open_window_days=45, **more)
    feed = OrderFeed(settings, OrderBook())
    return OngoingScreening(settings, feed, DEFAULT_POLICY, sending or _no_outbox)


def _track(state: OpenShipments, event: ShipmentEvent, partition: int = 0) -> None:
    decision = screen(event, OrderBook(), decided_at=DECIDED)
    state.advance(event.event_time)
    state.track(OpenShipment.of(partition, encode(event), event, decision), event)


def test_a_revocation_forgets_its_shipments_at_once_and_unfiles_them_in_chunks_later() -> None:
    """`drop_partitions` (inside the rebalance) only forgets; `file` takes the dropped shipments
    out of the indexes first, in its chunks, so a partition that comes back meanwhile (its
    shipments tracked again by a restore) ends filed as if it had never left."""
    events, _ = fleet(600, 30)
    partition = {e.shipment_id: (i // 20) % 2 for i, e in enumerate(events)}  # covered: both
    state = OpenShipments(WINDOW)
    for event in events:
        _track(state, event, partition[event.shipment_id])
    state.file()
    assert state.drop_partitions([1]) == 300 and len(state) == 300
    assert state.footprint()["dropped"] == 300 == state.pending  # not unfiled yet
    back = [e for e in events[:300] if partition[e.shipment_id] == 1]
    for event in back:  # partition 1 is assigned again and restored before the unfiling
        _track(state, event, 1)
    while True:
        before = state.pending
        done = state.file(40)
        assert before - state.pending <= 40
        if done:
            break
    kept = [e for e in events if partition[e.shipment_id] == 0] + back
    whole = OpenShipments(WINDOW)
    for event in kept:
        _track(whole, event)
    found = [s.shipment_id for s in state.affected(None, wro())]
    assert found == [s.shipment_id for s in whole.affected(None, wro())]
    assert set(found) & {e.shipment_id for e in back}  # the returned ones are found again
    for event in kept:
        state.close(event.shipment_id)
    assert set(state.footprint().values()) == {0}


async def test_the_sweep_goes_through_the_open_shipments_in_chunks_the_stream_goes_on_between() -> (
    None
):
    """The edge's sweep closes what fell out of the window a chunk (`SWEEP_CHUNKS` batches) at
    a time and writes each one's tombstone; a shipment the stream tracks again meanwhile (after
    the first chunk, before its own) is not closed."""
    sent = SentRecords()
    ongoing = _edge(sent.outbox)
    state = ongoing.state
    old = [shipment(n) for n in range(2_000)]
    for event in [
        *old,
        *(shipment(n, event_time=EVENT_TIME + WINDOW * 2) for n in range(5_000, 6_000)),
    ]:
        _track(state, event)
    later = EVENT_TIME + WINDOW * 2
    seen: list[int] = []

    async def stream() -> None:
        for step in range(4):
            seen.append(len(state))
            if step == 1:  # after the first chunk: the last 100 old ones are filed again
                for n in range(1_900, 2_000):
                    _track(state, shipment(n, event_time=later))
            await asyncio.sleep(0)

    await asyncio.gather(stream(), ongoing.sweep())
    assert 1_000 + 100 < seen[1] < 3_000  # the first chunk done, not the second
    assert len(state) == 1_100
    assert {f"shp-{n}" for n in range(1_900, 2_000)} <= {s.shipment_id for s in state}
    assert sorted(sent.tombstones) == sorted(f"shp-{n}".encode() for n in range(1_900))


async def test_partitions_given_back_in_the_next_generation_keep_their_shipments(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Eager rebalancing revokes every partition first. Those assigned back in the very next
    generation keep their shipments (no restore), and what a re-screen skipped while they were
    parked is re-decided once they are kept; the others are dropped, and so are all after a gap
    in the generations (another worker may have held them meanwhile)."""
    restores: list[list[int]] = []

    async def restore(self: OngoingScreening, partitions: list[int]) -> Restored:
        restores.append(partitions)  # the Kafka reads: tested through real workers
        return [], None

    monkeypatch.setattr(OngoingScreening, "_restore_from_kafka", restore)
    sent = SentRecords()
    ongoing = _edge(sent.outbox)
    covered, partition = await _hold_fleet(ongoing)

    ongoing.revoked([0, 1], 1)
    issued = wro(committed_at=DECIDED)
    ongoing.feed.book.apply(issued)
    ongoing.feed.latest_commit = DECIDED
    await ongoing.orders_changed([(None, issued)])
    assert sent.records == []  # parked: not re-decided, nothing written

    ongoing.assigned([0], 2)
    await ongoing._restoring[0]  # the re-decisions a kept partition missed
    assert restores == [[0, 1]]  # kept, not restored
    assert {s.partition for s in ongoing.state} == {0} and len(ongoing.state) == 200
    kept_covered = {sid for sid in covered if partition[sid] == 0}
    assert kept_covered and {d.shipment_id for d in sent.decisions()} == kept_covered
    assert {d.outcome for d in sent.decisions()} == {Outcome.DETAIN}

    ongoing.revoked([0], 2)
    ongoing.assigned([0, 1], 4)  # generation 3 went by without this worker
    await ongoing.wait_restored([0, 1])
    assert restores == [[0, 1], [0, 1]] and len(ongoing.state) == 0


async def test_kept_partitions_look_back_only_for_the_dates_a_re_check_skipped_while_parked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A kept partition's shipments were this worker's all along: the dates it acted on are not
    re-checked when it is kept (each re-checked again the shipments a date reached and left
    unchanged, ~2,400 per join in the scale bench); a date whose re-check skipped them while they
    were parked is, once they are kept."""

    async def restore(self: OngoingScreening, partitions: list[int]) -> Restored:
        return [], None  # the Kafka reads: tested through real workers

    monkeypatch.setattr(OngoingScreening, "_restore_from_kafka", restore)
    rescreened = _counting_rescreens(monkeypatch)
    sent = SentRecords()
    # Committed ahead of its dates: in force on 2025-03-20, revoked on 2025-03-25.
    ongoing = _edge_reading(sent, wro(in_force=date(2025, 3, 20), revoked=date(2025, 3, 25)))
    covered, partition = await _hold_fleet(ongoing)
    kept_covered = {sid for sid in covered if partition[sid] == 0}
    _stream_reaches(ongoing, 14, 1000)  # the dates start from the first event
    _stream_reaches(ongoing, 21, 1001)  # the in-force date: re-checked on the stream
    await asyncio.gather(*ongoing._tasks)
    assert {d.shipment_id for d in sent.decisions()} == covered
    assert {d.outcome for d in sent.decisions()} == {Outcome.DETAIN}
    assert len(set(rescreened)) > len(covered)  # it reached more than it changed

    ongoing.revoked([0, 1], 1)
    ongoing.assigned([0], 2)
    rescreened.clear()
    await ongoing._restoring[0]
    assert rescreened == []  # the in-force date was acted on before the park

    _stream_reaches(ongoing, 26, 1002)  # the revocation date's re-check is under way...
    ongoing.revoked([0], 2)  # ...when the partition is parked: it skips its shipments
    await asyncio.gather(*ongoing._tasks)
    sent.records.clear()
    assert await _decided_on_keeping(ongoing, sent, 3) == (kept_covered, {Outcome.RELEASE})


async def test_a_restore_whose_look_back_is_cut_short_looks_back_in_full_when_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A partition revoked while its restore looked back for dates is parked (its shipments are
    all restored) and, kept in the next generation, owes every date since their decisions."""
    sent = SentRecords()
    ongoing = _edge_reading(sent, wro(in_force=date(2025, 3, 20)))
    feed = ongoing.feed
    events, covered = fleet(400, 20)

    async def restore(self: OngoingScreening, partitions: list[int]) -> Restored:
        for event in events:  # the last worker's, decided before the in-force date
            _track(self.state, event)
        self.state.advance(datetime(2025, 3, 21, tzinfo=UTC))  # its stream went past the date
        for held in self.state:
            held.checked_to = feed.position
        return list(self.state), None

    looking_back = asyncio.Event()
    real_look_back = OngoingScreening._look_back

    async def look_back(self: OngoingScreening, *args: Any, **kwargs: Any) -> None:
        if not looking_back.is_set():
            looking_back.set()
            await asyncio.Event().wait()  # cut short by the revocation below
        await real_look_back(self, *args, **kwargs)

    monkeypatch.setattr(OngoingScreening, "_restore_from_kafka", restore)
    monkeypatch.setattr(OngoingScreening, "_look_back", look_back)
    ongoing.assigned([0], 1)
    await looking_back.wait()
    ongoing.revoked([0], 1)
    assert sent.decisions() == [] and len(ongoing.state) == 400  # parked, not dropped
    assert await _decided_on_keeping(ongoing, sent, 2) == (covered, {Outcome.DETAIN})


async def test_a_restoring_partition_is_screened_once_its_changelog_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`screen_while_restoring` (restoring.py) with the restore's Kafka reads faked, so the
    events read back only when the scenario lets them; test_ongoing.py runs it on the broker."""
    held = held_events()
    offsets = {n: 10 + n for n in held}
    changelog = changelog_values(held, offsets)
    sources = {(0, offsets[n]): encode(e) for n, e in held.items()}
    reading = _reading_back(monkeypatch, changelog, sources)
    sent = SentRecords()
    await screen_while_restoring(_edge(sent.outbox), sent, held, offsets, reading.set)


async def test_a_restore_re_decides_only_what_the_orders_read_since_its_records_can_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A record says the orders position its decision's book had reached: the restore re-decides
    only the shipments the orders read since can change (through the indexes), not every one
    decided against another order state; a record without the position, or with one past the
    feed's (an orders topic recreated), is re-decided whatever (as before records kept it)."""
    sent = SentRecords()
    ongoing = _edge(sent.outbox)
    feed = ongoing.feed
    feed.position = 0  # one orders partition, as `_assign_all` finds the catalogue's
    earlier = entity_order(1, "Zelmora Weaving Co., Ltd.")
    feed._apply([_order_record(0, earlier)])
    decided_with = OrderBook.of([earlier])
    events, covered = fleet(400, 20)
    changelog, sources = {}, {}
    for offset, event in enumerate(events):
        held = OpenShipment.of(
            0, encode(event), event, screen(event, decided_with, decided_at=DECIDED), offset
        )
        # The last 40 written before records kept the position; 20 before them past the feed's.
        held.checked_to = None if offset >= 360 else 99 if offset >= 340 else 1
        changelog[event.shipment_id] = encode_open(held)
        sources[(0, offset)] = encode(event)
    issued = wro(committed_at=DECIDED)
    feed._apply([_order_record(1, issued)])
    feed.ready.set()
    assert feed.position == 2 and feed.applied_since(1) == [("wro-korvanti", 1)]
    _reading_back(monkeypatch, changelog, sources).set()

    ongoing.assigned([0], 1)
    await ongoing.wait_restored([0])
    await ongoing._restoring[0]  # the re-decision after the restore

    rechecked = {s.shipment_id for s in ongoing.state if s.checked_version == feed.book.version}
    reached = {s.shipment_id for s in ongoing.state.affected(None, issued)}
    untimed = {e.shipment_id for e in events[340:]}
    assert covered <= reached and len(reached) < 100
    assert rechecked == reached | untimed
    assert {d.shipment_id for d in sent.decisions()} == covered


async def test_a_date_re_check_that_changes_nothing_is_recorded_so_a_takeover_does_not_redo_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A date's re-check that leaves a decision as it was writes its record again, saying so
    (`dates_checked`): a worker restoring the partition looks back from there, and re-checks
    nothing for that date (before, it re-checked each one a date reached and left unchanged:
    2,303 of 74,991 restored in the scale bench). Not while a superseding decision of the
    shipment's own waits for delivery: its record is written then, and says it too."""
    topic = ScreenerSettings().open_shipments_topic
    _reading_back(monkeypatch, {}, {}).set()  # nothing held before
    sent = SentRecords()
    ongoing = _edge_reading(sent, wro(in_force=date(2025, 3, 20)))
    covered, _ = await _hold_fleet(ongoing)
    changelog = {s.shipment_id: encode_open(s) for s in ongoing.state}  # as the stream wrote them
    sources = {}  # the `shipments` records of the two the stream decided, by offset
    for day, number in ((14, 1000), (21, 1001)):  # the in-force date
        value, written = _stream_reaches(ongoing, day, number)
        assert written is not None and written[0] is not None
        assert b"stream_time" not in written[0]  # the stream's own: its event's time is it
        changelog[f"shp-{number}"], sources[(0, number)] = written[0], value
    await asyncio.gather(*ongoing._tasks)
    assert {d.shipment_id for d in sent.decisions()} == covered  # DETAIN, not delivered yet
    unchanged = {key.decode() for t, key, _ in sent.records if t == topic and key}
    assert unchanged and unchanged.isdisjoint(covered)

    # The same order's date again, a day on: each covered one is unchanged now, but its DETAIN
    # still waits for delivery: no record may claim it yet.
    await ongoing._dates_passed({"wro-korvanti": datetime(2025, 3, 21, tzinfo=UTC)})
    assert {key.decode() for t, key, _ in sent.records if t == topic and key} == unchanged
    await _delivered(ongoing, sent, changelog)
    assert all(decode_open(changelog[sid]).dates_checked is not None for sid in unchanged)

    # The others' events inline.
    taking_over = await _taking_over(
        monkeypatch, changelog, sources, wro(in_force=date(2025, 3, 20))
    )
    assert taking_over == (402, [])


async def test_an_update_re_check_that_changes_nothing_is_recorded_so_a_takeover_skips_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An order update's re-check that leaves a decision as it was writes its record again with
    the orders position it reached: a worker restoring the partition does not re-decide it for
    that order (before, it did: the scale bench's 125 per join)."""
    topic = ScreenerSettings().open_shipments_topic
    _reading_back(monkeypatch, {}, {}).set()
    sent = SentRecords()
    ongoing = _edge(sent.outbox)
    ongoing.feed.position = 0  # no order read yet
    ongoing.feed.ready.set()
    covered, _ = await _hold_fleet(ongoing)
    changelog = {s.shipment_id: encode_open(s) for s in ongoing.state}
    issued = wro(committed_at=DECIDED)
    ongoing.feed._apply([_order_record(0, issued)])
    await ongoing.orders_changed([(None, issued)])
    reached = {s.shipment_id for s in ongoing.state.affected(None, issued)}
    assert covered < reached  # near misses among them, left as they were
    written = {key.decode() for t, key, _ in sent.records if t == topic and key}
    assert written == reached - covered  # the DETAINs' records wait for their delivery
    await _delivered(ongoing, sent, changelog)
    assert {decode_open(changelog[sid]).checked_to for sid in reached} == {1}
    # Written off the stream's path: each says the writer's stream time.
    assert ongoing.state.stream_time is not None
    assert {decode_open(changelog[sid]).stream_time for sid in reached} == {
        ongoing.state.stream_time
    }
    assert await _taking_over(monkeypatch, changelog, {}, issued) == (400, [])  # events inline


async def test_an_event_from_before_a_date_the_stream_passed_is_re_checked_for_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Events reach a worker out of their time order (partitions are read a batch at a time): a
    shipment whose event comes after the stream time passed a date, from before the date, is
    decided as of its own time, and then re-checked for the date as the date's re-check would
    have (before, only a takeover's look-back did: the scale bench's 66)."""
    _reading_back(monkeypatch, {}, {}).set()
    sent = SentRecords()
    ongoing = _edge_reading(sent, wro(in_force=date(2025, 3, 20)))
    ongoing.assigned([0], 1)
    await ongoing.wait_restored([0])
    _stream_reaches(ongoing, 14, 1000)  # the dates start from the first event
    _stream_reaches(ongoing, 21, 1001)  # the in-force date passes
    await asyncio.gather(*ongoing._tasks)
    assert sent.decisions() == []

    decided = {}
    for number, day, maker in ((2000, 19, LISTED), (2001, 19, NEAR_MISSES[0]), (2002, 22, LISTED)):
        value = encode(shipment(number, maker, "CN", event_time=datetime(2025, 3, day, tzinfo=UTC)))
        screened = take_in(value, ongoing.feed.book, DEFAULT_POLICY, DECIDED)
        assert isinstance(screened, Screened)
        decided[f"shp-{number}"] = screened.decision
        ongoing.follow(0, number, value, screened)
    await asyncio.gather(*ongoing._tasks)

    assert decided["shp-2000"].outcome is Outcome.RELEASE  # as of its own time, the 19th
    assert decided["shp-2002"].outcome is Outcome.DETAIN  # after the date: no re-check needed
    (superseding,) = sent.decisions()  # the covered late one; the other late one is unchanged
    assert superseding.shipment_id == "shp-2000" and superseding.outcome is Outcome.DETAIN
    assert superseding.supersedes == decided["shp-2000"].decision_id
    unchanged = ongoing.state.get("shp-2001")  # a near miss: the WRO's look-up reaches it
    assert unchanged is not None
    assert unchanged.dates_known == datetime(2025, 3, 20, tzinfo=UTC)


async def test_a_date_comes_on_the_clock_when_a_live_stream_is_quiet(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A live stream can go quiet (a weekend, an importer's few filings a day): a date in an
    order's timeline still comes. Once the clock passes it with no shipment fetched, the open
    shipments it covers are superseded as if an event after it had come; not before the date,
    not for a stream whose events were decided long after their time (a replay of history),
    and not for one further behind the clock than the open window."""
    _reading_back(monkeypatch, {}, {}).set()
    fifteenth = datetime(2025, 3, 15, tzinfo=UTC)

    async def quiet_after(
        decided_at: datetime, now: datetime, lag_hours: float = 24.0
    ) -> tuple[SentRecords, datetime]:
        """A worker holding the fleet, whose last event (the 15th) was decided at `decided_at`,
        then quiet until `now`: what it sent, and its stream time."""
        sent = SentRecords()
        order = wro(in_force=date(2025, 3, 20))
        ongoing = _edge_reading(sent, order, clock_dates_lag_hours=lag_hours)
        await _hold_fleet(ongoing)
        ongoing.quiet(now)  # no event yet: the dates start from the first
        _stream_reaches(ongoing, 15, 1000, decided_at)
        ongoing.quiet(now)
        await asyncio.gather(*ongoing._tasks)
        assert ongoing.state.stream_time is not None
        return sent, ongoing.state.stream_time

    live, in_force = fifteenth + timedelta(minutes=5), datetime(2025, 3, 20, tzinfo=UTC)
    before = in_force - timedelta(minutes=1)
    for decided_at, now, lag_hours, followed in (
        (live, before, 24.0, before),  # the date has not come (the stream's clock has)
        (DECIDED, in_force, 24.0, fifteenth),  # 20 months after its time: a replay
        (live, fifteenth + WINDOW + timedelta(hours=1), 24.0, fifteenth),  # nothing is open
        (fifteenth, in_force, 0.0, fifteenth),  # turned off (decided at its very time: lag 0)
    ):
        untouched, stream_time = await quiet_after(decided_at, now, lag_hours)
        assert untouched.records == [] and stream_time == followed

    sent, stream_time = await quiet_after(live, in_force + timedelta(minutes=1))
    _, covered = fleet(400, 20)
    assert stream_time == in_force + timedelta(minutes=1)
    assert {d.shipment_id for d in sent.decisions()} == covered
    assert {d.outcome for d in sent.decisions()} == {Outcome.DETAIN}
    assert {d.as_of for d in sent.decisions()} == {in_force}


async def test_a_quiet_live_stream_closes_the_shipments_that_fall_out_of_its_window(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The window goes on with the clock while a live stream is quiet: once the clock is past
    an open shipment's window, the sweep closes it and writes its tombstone, with no shipment
    coming to move the stream time. A replay's window goes with its events only."""
    _reading_back(monkeypatch, {}, {}).set()
    monkeypatch.setattr(ongoing_module, "_SWEEP_SECONDS", 0.0)  # a sweep is due at once
    past_window = EVENT_TIME + WINDOW + timedelta(hours=1)  # the fleet's, not the 15th's

    async def quiet_after(decided_at: datetime) -> tuple[SentRecords, OngoingScreening]:
        """The fleet held (filed on the 14th), the 15th's event decided at `decided_at`, then
        quiet until the fleet is past the window."""
        sent = SentRecords()
        ongoing = _edge_reading(sent, wro(in_force=date(2025, 6, 1)))
        await _hold_fleet(ongoing)
        _stream_reaches(ongoing, 15, 1000, decided_at)
        ongoing.quiet(past_window)
        await asyncio.gather(*ongoing._tasks)
        return sent, ongoing

    replayed, ongoing = await quiet_after(DECIDED)  # 20 months after its time
    assert replayed.tombstones == [] and len(ongoing.state) == 401

    sent, ongoing = await quiet_after(datetime(2025, 3, 15, 0, 5, tzinfo=UTC))
    events, _ = fleet(400, 20)
    assert sorted(sent.tombstones) == sorted(e.shipment_id.encode() for e in events)
    assert [s.shipment_id for s in ongoing.state] == ["shp-1000"]  # the 15th's is in the window
    assert sent.decisions() == []


async def test_a_worker_that_restored_a_quiet_live_stream_meets_its_dates_on_the_clock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker takes over a quiet stream's partitions (a restart, a deploy) and no shipment
    comes: with no event decided here, the newest changelog record's write time says whether
    the stream was live. Written minutes after the stream time: a date the clock passes is acted
    on. Written 20 months after it (a replay's records): not."""
    in_force, order = datetime(2025, 3, 20, tzinfo=UTC), wro(in_force=date(2025, 3, 20))
    _reading_back(monkeypatch, {}, {}).set()
    first = _edge_reading(SentRecords(), order)
    covered, _ = await _hold_fleet(first)  # filed on the 14th, events inline in their records
    changelog = {s.shipment_id: encode_open(s) for s in first.state}
    now = in_force + timedelta(minutes=1)

    replayed = await _quiet_after_restore(monkeypatch, changelog, DECIDED, order, now)
    assert replayed.decisions() == []
    sent = await _quiet_after_restore(
        monkeypatch, changelog, EVENT_TIME + timedelta(minutes=5), order, now
    )
    assert {d.shipment_id for d in sent.decisions()} == covered
    assert {(d.outcome, d.as_of) for d in sent.decisions()} == {(Outcome.DETAIN, in_force)}


async def test_records_rewritten_days_later_on_a_quiet_live_stream_say_it_was_live(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A record written off the stream's path (a re-decision, a re-check) can come days after
    the last event: a weekend's order update. It says the writer's stream time, which on a quiet
    live stream had followed the clock: a worker restoring such records (a deploy, and no
    shipment comes) meets a date the clock passes. Without it the write time, days after the
    events' times, made the stream look like a replay (the worker waited for a shipment). A
    replay's records rewritten later say a stream time in its history: still not live."""
    in_force, order = datetime(2025, 3, 20, tzinfo=UTC), wro(in_force=date(2025, 3, 20))
    _reading_back(monkeypatch, {}, {}).set()
    first = _edge_reading(SentRecords(), order)
    covered, _ = await _hold_fleet(first)  # filed on the 14th
    rewritten = EVENT_TIME + timedelta(days=3)  # re-checked on the 17th, no shipment since

    async def taking_over(stream_time: datetime, written: datetime) -> SentRecords:
        changelog = {s.shipment_id: encode_open(s, stream_time) for s in first.state}
        now = in_force + timedelta(minutes=1)
        return await _quiet_after_restore(monkeypatch, changelog, written, order, now)

    sent = await taking_over(rewritten - timedelta(minutes=1), rewritten)
    assert {d.shipment_id for d in sent.decisions()} == covered
    assert {(d.outcome, d.as_of) for d in sent.decisions()} == {(Outcome.DETAIN, in_force)}
    # A stream time as the events': three days behind the write, beyond the 24 h lag.
    assert (await taking_over(EVENT_TIME, rewritten)).decisions() == []
    # A replay's: its history's stream time, rewritten 20 months later.
    assert (await taking_over(EVENT_TIME + timedelta(hours=1), DECIDED)).decisions() == []


async def _quiet_after_restore(
    monkeypatch: pytest.MonkeyPatch,
    changelog: dict[str, bytes],
    written: datetime,
    order: Order,
    now: datetime,
) -> SentRecords:
    """A worker, `order` read, restores partitions 0 and 1 from `changelog` (its newest record
    written at `written`); no shipment comes, and a fetch finds nothing at `now`: what it sent."""
    _reading_back(monkeypatch, changelog, {}, written).set()
    sent = SentRecords()
    ongoing = _edge_reading(sent, order)
    ongoing.assigned([0, 1], 1)
    await ongoing.wait_restored([0, 1])
    await asyncio.gather(*ongoing._restoring.values())
    ongoing.quiet(now)
    await asyncio.gather(*ongoing._tasks)
    return sent


async def _delivered(
    ongoing: OngoingScreening, sent: SentRecords, changelog: dict[str, bytes]
) -> None:
    """Every superseding decision in `sent` delivered (their records written), then the
    changelog records in `sent` laid over `changelog`: compacted, the latest per key."""
    for decision in sent.decisions():
        assert decision.decision_id is not None
        ongoing.superseded(decision.shipment_id, decision.decision_id)
    await asyncio.gather(*ongoing._tasks)
    topic = ScreenerSettings().open_shipments_topic
    for t, key, value in sent.records:
        if t == topic and key and value:
            changelog[key.decode()] = value


async def _taking_over(
    monkeypatch: pytest.MonkeyPatch,
    changelog: dict[str, bytes],
    sources: dict[tuple[int, int], bytes],
    order: Order,
) -> tuple[int, list[str]]:
    """A second worker, `order` read, restores partitions 0 and 1 from `changelog`: how many
    shipments it holds, and those it re-decided (its restore's re-decision and look-back)."""
    rescreened = _counting_rescreens(monkeypatch)
    _reading_back(monkeypatch, changelog, sources).set()
    taking_over = _edge_reading(SentRecords(), order)
    taking_over.assigned([0, 1], 1)
    await taking_over.wait_restored([0, 1])
    await asyncio.gather(taking_over._restoring[0], taking_over._restoring[1])
    return len(taking_over.state), rescreened


def _stream_reaches(
    ongoing: OngoingScreening, day: int, number: int, decided_at: datetime = DECIDED
) -> tuple[bytes, tuple[bytes | None] | None]:
    """A shipment filed on partition 0 at offset `number` on 2025-03-`day`, decided (at
    `decided_at`) and followed, so the stream time reaches that day: its event's bytes, and its
    changelog value as `follow` gives it."""
    value = encode(shipment(number, event_time=datetime(2025, 3, day, tzinfo=UTC)))
    screened = take_in(value, ongoing.feed.book, DEFAULT_POLICY, decided_at)
    assert isinstance(screened, Screened)
    return value, ongoing.follow(0, number, value, screened)


def _counting_rescreens(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the shipments re-decided from here on, in order."""
    rescreened: list[str] = []
    real_rescreen = ongoing_module.rescreen

    def counting(held: OpenShipment, *args: Any, **kwargs: Any) -> Redecided | None:
        rescreened.append(held.shipment_id)
        return real_rescreen(held, *args, **kwargs)

    monkeypatch.setattr(ongoing_module, "rescreen", counting)
    return rescreened


async def _hold_fleet(ongoing: OngoingScreening) -> tuple[set[str], dict[str, int]]:
    """Partitions 0 and 1 assigned, 400 shipments held on them (20 covered by `wro`, on both),
    decided with the book as read: their ids covered, and each one's partition."""
    ongoing.assigned([0, 1], 1)
    await ongoing.wait_restored([0, 1])
    events, covered = fleet(400, 20)
    partition = {e.shipment_id: (i // 20) % 2 for i, e in enumerate(events)}  # covered: both
    for event in events:
        _track(ongoing.state, event, partition[event.shipment_id])
    for held in ongoing.state:
        held.checked_to = ongoing.feed.position  # no order read since (None: not known)
    return covered, partition


async def _decided_on_keeping(
    ongoing: OngoingScreening, sent: SentRecords, generation: int
) -> tuple[set[str], set[Outcome]]:
    """Partition 0 assigned back in `generation`: the shipments decided since `sent` was
    cleared, and their outcomes, once its resume ends."""
    ongoing.assigned([0], generation)
    await ongoing._restoring[0]
    decisions = sent.decisions()
    return {d.shipment_id for d in decisions}, {d.outcome for d in decisions}


def _edge_reading(sent: SentRecords, order: Order, **more: float) -> OngoingScreening:
    """`_edge` with `order` read at offset 0 of the one orders partition (as `_assign_all`
    finds the catalogue's), the book complete."""
    ongoing = _edge(sent.outbox, **more)
    ongoing.feed.position = 0
    ongoing.feed._apply([_order_record(0, order)])
    ongoing.feed.ready.set()
    return ongoing


def _order_record(offset: int, order: Order) -> ConsumerRecord[bytes, bytes]:
    value = encode(order)
    key = order.order_id.encode()
    return ConsumerRecord("orders", 0, offset, 0, 0, key, value, None, len(key), len(value), ())


async def test_a_changelog_record_without_its_event_time_keeps_its_partition_waiting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Records written before they said their event's time cannot tell an older event from a
    newer one: their partition is screened only once it is restored, as before."""
    event = shipment(1)
    value = encode_open(
        OpenShipment.of(0, encode(event), event, screen(event, OrderBook(), decided_at=DECIDED), 11)
    )
    untimed = {k: v for k, v in loads(value).items() if k != "event_time"}
    assert decode_open(dumps(untimed)).held_time() is None
    reading = _reading_back(monkeypatch, {"shp-1": dumps(untimed)}, {(0, 11): encode(event)})
    ongoing = _edge(SentRecords().outbox)
    ongoing.feed.ready.set()
    ongoing.assigned([0], 1)
    waiting = asyncio.ensure_future(ongoing.wait_screenable([0]))
    await asyncio.sleep(0.05)
    assert not waiting.done()
    reading.set()
    await asyncio.wait_for(waiting, 1)
    assert [s.event_id for s in ongoing.state] == ["evt-1"]


def _reading_back(
    monkeypatch: pytest.MonkeyPatch,
    changelog: dict[str, bytes],
    sources: dict[tuple[int, int], bytes],
    written: datetime | None = None,
) -> asyncio.Event:
    """A restore's Kafka reads faked (real workers run them in test_ongoing.py): the changelog
    answers at once (its newest record `written` then), the events once the returned event is
    set."""
    reading = asyncio.Event()

    class _Consumer:
        def __init__(self, **_: object) -> None: ...
        async def start(self) -> None: ...
        async def stop(self) -> None: ...

    async def read_changelog(*_: object) -> ChangelogRead:
        return ChangelogRead(dict(changelog), written)

    async def read_sources(*_: object) -> dict[tuple[int, int], bytes]:
        await reading.wait()
        return sources

    monkeypatch.setattr(ongoing_module, "AIOKafkaConsumer", _Consumer)
    monkeypatch.setattr(ongoing_module, "_read_changelog", read_changelog)
    monkeypatch.setattr(ongoing_module, "_read_sources", read_sources)
    return reading


async def test_filing_waits_for_an_update_until_many_shipments_wait(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After a take the worker files nothing until `FILE_AFTER` shipments wait; then all of
    them, in the background, one filing at a time."""
    monkeypatch.setattr(ongoing_module, "FILE_AFTER", 500)
    ongoing = _edge()
    events, _ = fleet(600, 6)
    for n, event in enumerate(events, 1):
        _track(ongoing.state, event)
        if n == 400:  # a take
            assert ongoing.keep_filed() is None
            assert ongoing.state.pending == 400 and ongoing.state.footprint()["parties"] == 0
    filing = ongoing.keep_filed()  # the next take
    assert filing is not None and ongoing.keep_filed() is None  # one at a time
    await filing
    assert ongoing.state.pending == 0 and ongoing.state.footprint()["parties"] > 0


async def _no_outbox() -> Outbox[Any]:
    raise AssertionError("filing sends nothing")


def _varied_events() -> list[ShipmentEvent]:
    """Parties of every kind (roles, native names, MIDs) and region signals of every kind
    (production addresses, upstream origins as code or as a place named in text, producers)."""
    base = shipment(30).model_dump(mode="json")
    line = base["lines"][0]
    xj_address = {"city": "Urumqi", "country": "CN"}
    varied = {
        **base,
        "shipment_id": "shp-31",
        "parties": [
            {"name": "Kashgar Cotton Supply", "role": "supplier", "address": xj_address},
            {
                "name": "Stuffing Co",
                "role": "container_stuffing",
                "address": {"postal_code": "830017"},
            },
            {"name": "Buyer Inc", "role": "buyer", "address": xj_address},
            {"name": "Korvanti Spinning Mill", "native_name": "科尔万蒂纺纱厂", "role": "seller"},
        ],
        "lines": [
            {**line, "manufacturer": {"name": "Harbor Textile Works Ltd", "mid": "CNHARTEX123URU"}},
            {
                **line,
                "line_number": 2,
                "inputs": [
                    {"material": "cotton", "origin_region": "Hotan prefecture"},
                    {
                        "material": "yarn",
                        "origin_region": "XUAR",
                        "producer": {"name": "Aksu Yarn"},
                    },
                    {
                        "material": "dye",
                        "producer": {"name": "Dye Works", "address": {"region": "Xinjiang"}},
                    },
                    {"material": "thread", "origin_region": "Guangdong"},
                ],
            },
        ],
    }
    return [*fleet(300, 10)[0], ShipmentEvent.model_validate(varied), shipment(32, LISTED, "CN")]


def test_open_shipment_keys_from_the_screening_trace_equal_those_walked_from_the_event() -> None:
    """The worker files an open shipment under what screening looked at (its `Trace`); a
    restored or re-decided one is walked again: the two must file it under the same keys."""
    book = OrderBook.of([*load_seed(), wro()])
    walked, traced = OpenShipments(WINDOW), OpenShipments(WINDOW)
    for event in _varied_events():
        trace = Trace()
        decision = screen(event, book, decided_at=DECIDED, trace=trace)
        walked.track(OpenShipment.of(0, encode(event), event, decision), event)
        traced.track(OpenShipment.of(0, encode(event), event, decision), event, trace)
        a, b = walked.get(event.shipment_id), traced.get(event.shipment_id)
        assert a is not None and b is not None
        assert (set(a.filers), set(a.keys), set(a.hts)) == (set(b.filers), set(b.keys), set(b.hts))
    assert any(key.startswith("r") for s in traced for key in s.keys)


def test_unchanged_decision_is_not_re_emitted() -> None:
    book = OrderBook.of(load_seed())
    state, _ = _open_fleet([shipment(1, LISTED)], book)
    unrelated = wro().model_copy(update={"order_id": "wro-other", "entities": ()})
    book.apply(unrelated.model_copy(update={"region": "CN-XJ"}))
    (held,) = state
    assert rescreen(held, book, DEFAULT_POLICY, decided_at=DECIDED, as_of=DECIDED) is None


def test_open_shipment_record_names_its_event_by_offset_and_round_trips() -> None:
    event = shipment(7, LISTED)
    decision = screen(event, OrderBook.of([wro()]), decided_at=DECIDED, as_of=DECIDED)
    held = OpenShipment.of(3, encode(event), event, decision, offset=41)
    held.dates_checked = DECIDED + timedelta(days=3)  # a date's re-check left it as it was
    value = encode_open(held)
    record = decode_open(value)
    assert record.event is None and b'"shipment_id"' in value and b"Korvanti" not in value
    back = restored(record, encode(event), event)
    assert (back.partition, back.offset, back.decision_id, back.matched) == (
        3,
        41,
        decision.decision_id,
        frozenset({"wro-korvanti"}),
    )
    assert back.outcome is Outcome.DETAIN and back.event == encode(event)
    assert back.decided_as_of == DECIDED and back.dates_known == DECIDED + timedelta(days=3)


def test_an_open_shipment_record_of_a_newer_worker_is_read_without_what_it_adds() -> None:
    """A rolling deploy moves partitions between versions: a field this version does not know
    (a newer worker's) is left out, and the record restored, not skipped as unreadable."""
    event = shipment(7, LISTED)
    decision = screen(event, OrderBook.of([wro()]), decided_at=DECIDED, as_of=DECIDED)
    value = encode_open(OpenShipment.of(3, encode(event), event, decision, offset=41))
    newer = value[:-1] + b',"a_later_field":{"of":"a newer worker"}}'
    assert decode_open(newer) == decode_open(value)


def test_open_shipment_record_without_a_source_offset_carries_its_event_inline() -> None:
    event = shipment(7, LISTED)
    decision = screen(event, OrderBook.of([wro()]), decided_at=DECIDED, as_of=DECIDED)
    held = OpenShipment.of(3, encode(event), event, decision)
    record = decode_open(encode_open(held))
    assert record.event == event and record.source_offset is None
    assert restored(record, encode(event), event).matched == frozenset({"wro-korvanti"})


def test_restore_reads_events_back_by_source_offset_and_counts_those_gone() -> None:
    book = OrderBook.of([wro()])
    events = [shipment(n, LISTED) for n in (1, 2, 3)]
    held = [
        OpenShipment.of(1, encode(e), e, screen(e, book, decided_at=DECIDED), offset=10 + n)
        for n, e in enumerate(events)
    ]
    records = [decode_open(encode_open(h)) for h in held]
    assert wanted_sources(records) == {1: {10, 11, 12}}
    # offset 11 is gone (retention); offset 12 holds another shipment's event
    sources = {(1, 10): encode(events[0]), (1, 12): encode(shipment(9))}
    found = restore(records, sources)
    assert [s.shipment_id for s, _ in found.shipments] == [events[0].shipment_id]
    assert (found.missing, found.unreadable) == (1, 1)
    back, event = found.shipments[0]
    assert event == events[0] and back.offset == 10 and back.decision_id == held[0].decision_id


@pytest.mark.parametrize(
    ("value", "key", "shipment_id"),
    [
        (b'{"shipment_id": "SHP-9", "lines": []}', None, "SHP-9"),
        (b"{not json", b"SHP-KEY", "SHP-KEY"),
        (b'{"shipment_id": 12}', b"SHP-KEY", "SHP-KEY"),
        (b"\xff\xfe", None, None),
        (b'{"event_id": "e"}', b"\xff", None),
        (None, None, None),
    ],
)
def test_invalid_event_is_referred_only_when_it_names_its_shipment(
    value: bytes | None, key: bytes | None, shipment_id: str | None
) -> None:
    source = SourceRecord("shipments", 1, 42)
    result = take_in(value, OrderBook(), DEFAULT_POLICY, DECIDED, key=key, source=source)
    assert isinstance(result, DeadLetter)
    if shipment_id is None:
        assert result.referral is None
        return
    referral = result.referral
    assert referral is not None and result.referral_value is not None
    assert (referral.outcome, referral.referral, referral.shipment_id) == (
        Outcome.REFER,
        "invalid_event",
        shipment_id,
    )
    assert referral.validation_errors and decode(type(referral), result.referral_value) == referral


def test_referral_keeps_the_events_own_id_and_time_when_they_are_valid() -> None:
    broken = shipment(5).model_dump(mode="json")
    broken["lines"] = []
    error = ContractError("lines", "empty", (("lines", "empty"),))
    referral = refer_invalid(
        dumps(broken), None, error, OrderBook(), DEFAULT_POLICY, DECIDED, fallback_event_id="x"
    )
    assert referral is not None
    assert (referral.event_id, referral.event_time) == ("evt-5", EVENT_TIME)
    assert [(i.field, i.reason) for i in referral.validation_errors] == [("lines", "empty")]


def test_review_band_refers_a_near_match_with_its_evidence_and_score() -> None:
    book = OrderBook.of([wro()])
    near = shipment(1, "Korvanty Spining Mill Co., Ltd.", event_time=DECIDED)  # 93.0 similar
    strict = ScreeningPolicy(fuzzy_threshold=95.0)
    banded = ScreeningPolicy(fuzzy_threshold=95.0, review_band=5.0)

    assert screen(near, book, decided_at=DECIDED, policy=strict).outcome is Outcome.RELEASE
    referred = screen(near, book, decided_at=DECIDED, policy=banded)
    assert (referred.outcome, referred.referral, referred.review_threshold) == (
        Outcome.REFER,
        "near_match",
        90.0,
    )
    (evidence,) = referred.matches[0].evidence
    assert evidence.rule == "fuzzy_name" and evidence.score is not None
    assert evidence.score == 93.0


def test_review_band_off_or_an_automatic_match_keeps_detain_and_release() -> None:
    book = OrderBook.of([wro()])
    banded = ScreeningPolicy(review_band=10.0)
    listed = shipment(1, LISTED, event_time=DECIDED)
    clear = shipment(2, "Harbor Textile Works Ltd", event_time=DECIDED)
    assert screen(listed, book, decided_at=DECIDED, policy=banded).outcome is Outcome.DETAIN
    assert screen(clear, book, decided_at=DECIDED, policy=banded).outcome is Outcome.RELEASE


def test_valid_event_is_screened_with_its_event_for_tracking() -> None:
    event = shipment(3)
    result = take_in(encode(event), OrderBook(), DEFAULT_POLICY, DECIDED)
    assert isinstance(result, Screened) and result.event == event
    assert result.decision.decision_id == f"evt-3@{OrderBook().version}"


def test_final_event_type_is_entry_summary() -> None:
    from laborguard_screener.openshipments import FINAL_EVENT_TYPES

    assert {ShipmentEventType.ENTRY_SUMMARY_FILED} == FINAL_EVENT_TYPES
