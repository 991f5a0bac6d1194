"""Ongoing screening at the stream edge: open shipments kept, restored, and re-decided.

The pure parts are `openshipments.py` (the state and its indexes), `rescreening.py` (the
re-decision) and `changelog.py` (the record format); this module wires them to Kafka:

- every decided event updates its shipment's open record, written to the changelog topic in the
  same output batch as the decision, at the same partition number; the consumed record is acked
  only once both are delivered;
- on partition assignment the changelog partitions are read back (to the high watermark of a
  fetch answered after the read began, the order feed's rule) before any shipment of those
  partitions is screened, then their events; the stream goes on once the changelog is read, a
  record not yet restored held by shipment id (a replay of the event it holds restores it at
  once, a final or newer event wins over it: `_claim`, `follow`); every restored shipment an
  order read since its decision can change is re-decided (found through the indexes by the
  orders position its record names: `_stale`; this is what makes a takeover finish a re-screen
  the dead worker began); faust
  rebalances eagerly (every partition is revoked first), so a revoked partition is parked, its
  shipments held and nothing written for them, and kept if the very next generation gives it
  back to this worker (then re-decided as after a restore), else dropped;
- an order update re-decides the open shipments it can affect; a changed decision is emitted
  with `supersedes` and `cause`, and its changelog record is written only after the decision is
  delivered, so the changelog never claims a decision the `decisions` topic lacks; an unchanged
  one has its record written again, saying how far it was checked (`_unchanged`), so a takeover
  does not check it again;
- so does a date in an order's timeline when the stream time reaches it (an order committed
  ahead of its in-force date, a revocation or exemption dated ahead: `coveragedates.py`); a
  restore looks back for the dates its partitions' last worker may not have acted on (from each
  shipment's `dates_known`: a date's re-check that changes nothing writes the record again to
  say so), a kept partition only for those a re-check skipped while it was parked
  (`_dates_owed`); an event that comes after the stream time passed a date, from before it, is
  re-checked for that date once its take is decided (`_missed_dates`);
- the work that grows with the open population goes in chunks of `batch_size`, the stream going
  on between them: filing the tracked shipments in the indexes (before an update looks them up,
  and in the background once `FILE_AFTER` wait, revoked shipments taken out of them first), a
  restore's decoding and tracking, a re-screen, the window's sweep.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from aiokafka import AIOKafkaConsumer, TopicPartition
from faust.types import Message

from laborguard_contracts import Order, Outcome, ShipmentEvent
from laborguard_contracts.codec import encode
from laborguard_screener import metrics
from laborguard_screener.changelog import (
    OpenShipmentRecord,
    decode_open,
    encode_open,
    track_restored,
    wanted_sources,
)
from laborguard_screener.changelog import restored as restored_shipment
from laborguard_screener.coveragedates import CoverageDates, passed_between
from laborguard_screener.engine.screening import ScreeningPolicy, screen
from laborguard_screener.intake import Screened
from laborguard_screener.openshipments import (
    FINAL_EVENT_TYPES,
    OpenShipment,
    OpenShipments,
)
from laborguard_screener.orderstate import OrderFeed, caught_up
from laborguard_screener.outbox import Outbox
from laborguard_screener.rescreening import rescreen
from laborguard_screener.settings import ScreenerSettings

log = logging.getLogger(__name__)
_SWEEP_SECONDS = 30.0
# A sweep looks at this many batches' worth of open shipments between two yields to the loop
# (a look is a comparison, ~0.1 us; a close of an expired one ~5-9 us: 400,000 open, half
# expiring, in one go 1.4 s; `--parts engine`).
SWEEP_CHUNKS = 4
_FIRST = datetime.min.replace(tzinfo=UTC)  # the first event starts the coverage dates
_NEVER = datetime.max.replace(tzinfo=UTC)
_EVER = datetime.min.replace(tzinfo=UTC)  # dates owed since the shipments' decisions
_INSTANT = timedelta(microseconds=1)
# Shipments tracked and not yet filed in the indexes, at most (0.2-0.3 s of filing): filing
# waits for the next order update (or date), so a shipment refiled or closed before then is
# never filed, and filing in one run costs less per shipment than after every take (in one
# process, ~20% less: 30,000 shipments 0.51 vs 0.61 s); but it waits no longer than this.
FILE_AFTER = 50_000
# Open shipments a restore tracks between two yields to the loop (~60 us each: ~6 ms). The
# stream screens beside a restore, and a record takes several turns of the loop from the socket
# to its decision, each turn waiting for a chunk (one of `batch_size`, 1,000, is ~60 ms). In
# `--parts scale` the median wait through a takeover moved little with it (720 -> 544 ms, one
# run each): most of that wait was the re-decision of every restored shipment (`_stale`).
RESTORE_CHUNK = 100
# Orders looked up in the indexes between two yields to the loop: a look-up is ~0.2-0.4 ms with
# 20,000 open shipments filed (each listed token's one-edit spellings), and one fetch of the
# orders topic (4 MB) or a restore after a long absence can bring thousands.
LOOKUPS_PER_TURN = 100
_SUPERSEDED = {outcome: metrics.SUPERSEDED.labels(outcome.value) for outcome in Outcome}


class Delivery:
    """An output's source that is told of its delivery (a consumed message is acked instead)."""

    __slots__ = ()

    def delivered(self, ack: Callable[[Message], object]) -> None:
        raise NotImplementedError


class Joint(Delivery):
    """A consumed record with several outputs: acked once every one is delivered."""

    __slots__ = ("message", "remaining")

    def __init__(self, message: Message, outputs: int) -> None:
        self.message = message
        self.remaining = outputs

    def delivered(self, ack: Callable[[Message], object]) -> None:
        self.remaining -= 1
        if self.remaining == 0:
            ack(self.message)


class _Unsourced(Delivery):
    __slots__ = ()

    def delivered(self, ack: Callable[[Message], object]) -> None:
        pass


_UNSOURCED = _Unsourced()


class _Run:
    """One re-screen's superseding decisions: each delivered one has its changelog record
    written; the last observes the time from the order's commit."""

    def __init__(self, ongoing: OngoingScreening, committed_at: datetime | None) -> None:
        self.ongoing = ongoing
        self.committed_at = committed_at
        self.pending = 0
        self.produced = 0
        self.sealed = False

    def output(self, shipment_id: str, decision_id: str) -> _Superseding:
        self.pending += 1
        self.produced += 1
        return _Superseding(self, shipment_id, decision_id)

    def delivered(self, shipment_id: str, decision_id: str) -> None:
        self.ongoing.superseded(shipment_id, decision_id)
        self.pending -= 1
        self._observe()

    def seal(self) -> None:
        self.sealed = True
        self._observe()

    def _observe(self) -> None:
        done = self.sealed and self.pending == 0 and self.produced > 0
        if done and self.committed_at is not None:
            latency = (datetime.now(UTC) - self.committed_at).total_seconds()
            metrics.RESCREEN_COMMIT_TO_DECISION_SECONDS.observe(latency)
            self.committed_at = None  # once


class _Superseding(Delivery):
    __slots__ = ("decision_id", "run", "shipment_id")

    def __init__(self, run: _Run, shipment_id: str, decision_id: str) -> None:
        self.run = run
        self.shipment_id = shipment_id
        self.decision_id = decision_id

    def delivered(self, ack: Callable[[Message], object]) -> None:
        self.run.delivered(self.shipment_id, self.decision_id)


class OngoingScreening:
    def __init__(
        self,
        settings: ScreenerSettings,
        feed: OrderFeed,
        policy: ScreeningPolicy,
        sending: Callable[[], Awaitable[Outbox[Any]]],
    ) -> None:
        self.settings = settings
        self.feed = feed
        self.policy = policy
        self.state = OpenShipments(timedelta(days=settings.open_window_days))
        self._sending = sending
        self._outbox: Outbox[Any] | None = None
        self._topic = settings.open_shipments_topic
        self._restored: dict[int, asyncio.Event] = {}
        # A restoring partition is screened once its changelog is read, before its events are:
        # the records not yet restored, by shipment id, and the shipments a replayed event
        # restored at once (`_claim`), by partition.
        self._screenable: dict[int, asyncio.Event] = {}
        self._pending: dict[str, OpenShipmentRecord] = {}
        self._claimed: dict[int, list[OpenShipment]] = {}
        self._restoring: dict[int, asyncio.Task[None]] = {}
        self._complete: set[int] = set()  # partitions whose shipments were all restored
        # Revoked partitions held until the next assignment (eager rebalancing revokes all of
        # them first): partition -> generation of the assignment they were held in; and the
        # changelog records of superseding decisions delivered for them meanwhile.
        self._parked: dict[int, int] = {}
        self._parked_writes: list[tuple[int, str, str]] = []
        # The dates a partition's shipments may not have been re-checked for: partition -> the
        # moment after which they may not (`_EVER`: since their decisions). Owed by a restore
        # until its look-back ends, and by a date's re-check that skipped them while parked; a
        # kept partition looks back only for what it owes.
        self._dates_owed: dict[int, datetime] = {}
        # Superseding decisions emitted whose changelog records wait for their delivery
        # (`superseded`): shipment id -> decision id. No other record may claim them before.
        self._unwritten: dict[str, str] = {}
        # Shipments whose events came after the stream time passed a date, from before it, and
        # the moment each was decided as of: re-checked for the dates they missed (`_late_dates`).
        self._late: dict[str, datetime] = {}
        self._late_task: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._filing: asyncio.Task[None] | None = None
        self._sweeping: asyncio.Task[None] | None = None
        self._backlog = 0
        self._flush_due = False
        self._swept = time.monotonic()
        self._header = [("worker", settings.worker_id.encode())]
        self.dates = CoverageDates()
        self._next_date = _FIRST  # the next moment an order's coverage changes by its dates
        # When the event holding the stream time was decided (the wall clock): how far behind
        # the clock the stream runs, which says whether it is live (`quiet`).
        self._stream_decided_at: datetime | None = None
        self._live_lag = timedelta(hours=settings.clock_dates_lag_hours)

    # ------------------------------------------------------------- the shipments path

    def amend(self, screened: Screened, partition: int, offset: int, value: bytes) -> Screened:
        """A redelivered event (a takeover replays uncommitted records) is decided as a re-screen
        would decide it now: when that differs from the decision held for it (an order changed
        meanwhile, or a date in one came), it supersedes the held decision and is the very
        re-decision a re-screen emits (same id); when not, it repeats the held decision.
        (`partition`, `offset`, `value`: the record it was read from.)"""
        event = screened.event
        if event is None:
            return screened
        held = self.state.get(event.shipment_id)
        if held is None and self._pending:
            held = self._claim(partition, offset, value, event)
        if held is None or held.event_id != event.event_id:
            return screened  # a new event: a decision of its own
        book, decided_at = self.feed.book, screened.decision.decided_at
        redecided = rescreen(
            held, book, self.policy, decided_at=decided_at, as_of=self.feed.latest_commit
        )
        if redecided is not None:
            superseding = redecided.decision
            _SUPERSEDED[superseding.outcome].inc()
            return Screened(superseding, encode(superseding), event, screened.trace)
        if held.as_of is not None and held.as_of > event.event_time:
            # The held decision is as of a later moment (an order's commit or date): so is its
            # repeat, which must not go back to the event's own time.
            repeat = screen(
                event, book, decided_at=decided_at, as_of=held.as_of, policy=self.policy
            )
            return Screened(repeat, encode(repeat), event, screened.trace)
        return screened

    def follow(
        self, partition: int, offset: int, value: bytes, screened: Screened
    ) -> tuple[bytes | None] | None:
        """The changelog value the decided event (read at `offset` of `shipments` partition
        `partition`) gives its shipment (a 1-tuple; None inside is a tombstone), or None when
        the open state does not change."""
        event, decision = screened.event, screened.decision
        if event is None or decision.decision_id is None:
            return None
        state, event_time = self.state, event.event_time
        state.advance(event_time)
        if event_time == state.stream_time:
            self._stream_decided_at = decision.decided_at
        if event_time >= self._next_date:
            self._dates_reached()
        shipment_id = event.shipment_id
        # Its record still to restore, if its partition is restoring: the stream's word wins.
        pending = self._pending.get(shipment_id) if self._pending else None
        if event.event_type in FINAL_EVENT_TYPES:
            if pending is not None:
                del self._pending[shipment_id]
            closed = state.close(shipment_id) is not None or pending is not None
            return (None,) if closed else None
        held = state.get(shipment_id)
        held_time: datetime | None = None
        if held is not None:
            held_time = held.event_time
        elif pending is not None:
            held_time = pending.held_time()
        if (held_time is not None and held_time > event_time) or not state.within_window(
            event_time
        ):
            return None  # an older event than the one held, or already out of the window
        if pending is not None:
            del self._pending[shipment_id]
        shipment = OpenShipment.of(partition, value, event, decision, offset)
        shipment.checked_to = self.feed.position
        state.track(shipment, event, screened.trace)
        if self.dates.missed_by(shipment.decided_as_of):
            self._missed_dates(shipment)
        return (encode_open(shipment),)

    def quiet(self, now: datetime) -> None:
        """A fetch brought no shipment (`now`: the wall clock). A live stream can go quiet (a
        weekend, an importer's few filings a day) while its clock goes on: its stream time
        follows the wall clock, so a date in an order's timeline that the clock passes is acted
        on, as an event after it would have done, and the window's sweep closes the shipments
        that fell out of it. Only for a live stream: its latest event was decided within
        `clock_dates_lag_hours` of its time (a replay of history is not: its dates and its window
        go with its events), and is no further behind the clock than the open window (nothing is
        open then). Not before this worker decided an event (the dates start from the first) or
        restored open shipments (the newest changelog record's write time stands for the
        decision's)."""
        stream, seen = self.state.stream_time, self._stream_decided_at
        if stream is None or seen is None or now <= stream:
            return  # `seen`: a decided event (or a restore) started the dates
        if not self._live_lag or seen - stream > self._live_lag or now - stream > self.state.window:
            return
        self.state.advance(now)
        if now >= self._next_date:
            self._dates_reached()
        self._sweep_when_due()

    def _missed_dates(self, shipment: OpenShipment) -> None:
        """Its event came after the stream time passed a date, from before the date: the
        date's re-check did not reach it. Re-checked once the take is decided (every late one
        of a take at once), as the re-check would have."""
        self._late[shipment.shipment_id] = shipment.decided_as_of
        if self._late_task is None:
            self._late_task = self._spawn(self._late_dates())

    async def _late_dates(self) -> None:
        try:
            while self._late:
                late, self._late = self._late, {}
                passed = self.dates.handed_after(min(late.values()))
                if passed:
                    await self._dates_passed(passed, set(late))
        finally:
            self._late_task = None

    def _claim(
        self, partition: int, offset: int, value: bytes, event: ShipmentEvent
    ) -> OpenShipment | None:
        """The shipment a restoring partition's record holds, restored at once when the record
        names this very event (a replay of what the last worker decided), so the replay is
        amended as after a whole restore."""
        record = self._pending.get(event.shipment_id)
        if record is None or record.partition != partition:
            return None
        if record.source_offset != offset and not (
            record.event is not None and record.event.event_id == event.event_id
        ):
            return None
        if not self.state.within_window(event.event_time):
            return None  # the restore does not keep it either
        del self._pending[event.shipment_id]
        shipment = restored_shipment(record, value, event)
        self.state.track(shipment, event)
        self._claimed.setdefault(partition, []).append(shipment)
        return shipment

    def observe(self) -> None:
        """After a take: the gauges, the window's sweep and the filing when due."""
        metrics.OPEN_SHIPMENTS.set(len(self.state))
        self._sweep_when_due()
        self.keep_filed()
        metrics.OPEN_INDEX_BACKLOG.set(self.state.pending)

    def _sweep_when_due(self) -> None:
        """The window's sweep, `_SWEEP_SECONDS` after the last one began (one at a time)."""
        if time.monotonic() - self._swept >= _SWEEP_SECONDS and (
            self._sweeping is None or self._sweeping.done()
        ):
            self._swept = time.monotonic()
            self._sweeping = self._spawn(self.sweep())

    def keep_filed(self) -> asyncio.Task[None] | None:
        """After a take: once `FILE_AFTER` shipments wait to be filed in the indexes, files them
        in the background (in chunks, the stream going on between them, not waiting for them),
        so an order update never has more than that to file before its look-up. Returns the
        filing it started, if any (one at a time)."""
        if self.state.pending < FILE_AFTER or not (self._filing is None or self._filing.done()):
            return None
        self._filing = self._spawn(self.file_pending(self.state.mark()))
        return self._filing

    async def file_pending(self, until: int) -> None:
        """Files the shipments tracked before `until` (a `mark`) in the indexes, in chunks the
        stream goes on between: no call holds the loop (and the group's heartbeats) for long,
        however many wait. The shipments tracked meanwhile are not chased: they were decided
        against the order state of the moment, and a loaded stream would outrun the chunks."""
        state, chunk = self.state, self.settings.batch_size
        while not state.file(chunk, until):  # noqa: ASYNC110 (yielding between chunks, not polling)
            await asyncio.sleep(0)

    async def wait_screenable(self, partitions: Iterable[int]) -> None:
        """Until the partitions' open shipments can be told from new ones: their changelog is
        read (the events of the shipments it holds may still be reading back)."""
        for partition in partitions:
            if partition not in self._restored:  # records before the assignment's signal
                if partition in self._parked:
                    self._forget_parked([partition])
                self._restore_fresh([partition])
            await self._screenable[partition].wait()

    async def wait_restored(self, partitions: Iterable[int]) -> None:
        """Until the partitions' open shipments are all restored."""
        await self.wait_screenable(partitions)
        for partition in partitions:
            await self._restored[partition].wait()

    def _dates_reached(self) -> None:
        """The stream time reached the next coverage date (or the first event arrived)."""
        now = self.state.stream_time
        assert now is not None
        if self.dates.passed is None:
            self._start_dates(now)  # events are decided as of their own time
            return
        passed = self.dates.due(now)
        self._next_date = self.dates.next_at or _NEVER
        if passed:
            self._spawn(self._dates_passed(passed))

    def _start_dates(self, now: datetime) -> None:
        self.dates.start(self.feed.book.orders(), now)
        self._next_date = self.dates.next_at or _NEVER

    async def _dates_passed(
        self, passed: dict[str, datetime], among: set[str] | None = None
    ) -> None:
        """Re-decides the open shipments (of `among`, if given) an order can affect whose decision
        was made as of a moment before the order's date (`passed`: by order id), as of the latest
        date (a re-decision never goes back before the decision held)."""
        mark = self.state.mark()  # those tracked from here on are decided as of the date
        await self.file_pending(mark)
        book = self.feed.book
        affected: dict[str, Order | None] = {}
        for order_id, moment in sorted(passed.items()):
            order = book.get(order_id)
            if order is None:
                continue
            for shipment in self.state.affected(None, order, until=mark):
                if among is not None and shipment.shipment_id not in among:
                    continue
                if shipment.dates_known < moment:
                    affected[shipment.shipment_id] = order
        log.info(
            "coverage dates of order(s) %s reach %d open shipments decided before them",
            sorted(passed),
            len(affected),
        )
        owed = min(passed.values()) - _INSTANT  # skipped as parked: owed from that moment
        await self._redecide(affected, max(passed.values()), recheck=True, owed=owed)

    # ------------------------------------------------------------- rebalances

    def assigned(self, partitions: Iterable[int], generation: int = -1) -> None:
        """The group's assignment of `generation`: a parked partition assigned here again in the
        very next generation keeps its shipments (no other worker can have held it since);
        every other parked one is dropped, and the partitions new here are restored."""
        new = set(partitions)
        kept = sorted(
            p for p, held_in in self._parked.items() if p in new and generation == held_in + 1
        )
        self._forget_parked([p for p in self._parked if p not in kept])
        for partition in kept:
            del self._parked[partition]
            self._restored[partition] = done = asyncio.Event()
            self._screenable[partition] = done
            done.set()
        if kept:
            metrics.OPEN_PARTITIONS.labels("kept").inc(len(kept))
            task = asyncio.ensure_future(self._resume(kept, self._parked_writes))
            for partition in kept:
                self._restoring[partition] = task
            log.info("kept the open shipments of partitions %s (generation %d)", kept, generation)
        self._parked_writes = []
        self._restore_fresh(sorted(p for p in new if p not in self._restored))

    def revoked(self, partitions: Iterable[int], generation: int = -1) -> None:
        """Partitions of the assignment of `generation` are revoked: those whose shipments were
        all restored are parked (held, nothing written for them) until the next assignment; the
        rest (a restore cut short) are dropped."""
        gone = set(partitions)
        dropping = []
        for partition in gone:
            restored = self._restored.pop(partition, None)
            self._screenable.pop(partition, None)
            task = self._restoring.pop(partition, None)
            if task is not None and not task.done():
                task.cancel()  # a restore, or the re-decision after one: redone if kept
            if partition in self._complete and restored is not None and generation >= 0:
                self._parked[partition] = generation
            else:
                dropping.append(partition)
        self._drop(dropping)

    def _forget_parked(self, partitions: list[int]) -> None:
        for partition in partitions:
            self._parked.pop(partition, None)
        self._parked_writes = [w for w in self._parked_writes if w[0] not in partitions]
        self._drop(partitions)

    def _drop(self, partitions: list[int]) -> None:
        if not partitions:
            return
        self._complete.difference_update(partitions)
        self._dates_paid(partitions)
        dropped = self.state.drop_partitions(partitions)  # their index entries: the next filing's
        self.keep_filed()
        metrics.OPEN_SHIPMENTS.set(len(self.state))
        metrics.OPEN_INDEX_BACKLOG.set(self.state.pending)
        log.info("dropped %d open shipments of partitions %s", dropped, sorted(partitions))

    def _restore_fresh(self, fresh: list[int]) -> None:
        if not fresh:
            return
        metrics.OPEN_PARTITIONS.labels("restored").inc(len(fresh))
        for partition in fresh:
            self._restored[partition] = asyncio.Event()
            self._screenable[partition] = asyncio.Event()
        task = asyncio.ensure_future(self._restore(fresh))
        for partition in fresh:
            self._restoring[partition] = task

    async def _resume(self, kept: list[int], writes: list[tuple[int, str, str]]) -> None:
        """After kept partitions: what was not written or re-decided while they were parked.
        Their changelog records for superseding decisions delivered meanwhile; then, as after a
        restore, a re-decision of those an order read since their last check can change; and a
        look-back only for the dates they owe (a re-screen skips parked shipments): the others
        were acted on while this worker held them."""
        for _, shipment_id, decision_id in writes:
            self.superseded(shipment_id, decision_id)
        held = [s for s in self.state.snapshot() if s.partition in kept]
        await self._redecide(await self._stale(held), self.feed.latest_commit)
        owed = {p: self._dates_owed[p] for p in kept if p in self._dates_owed}
        if owed:  # a restore cut short, or a date's re-check that skipped them while parked
            owing = [s for s in held if s.partition in owed]
            await self._look_back(owing, since=min(owed.values()))
        self._dates_paid(kept)  # not cut short by a revocation: each date is acted on

    async def _restore(self, partitions: list[int]) -> None:
        restored: list[OpenShipment] = []
        written: datetime | None = None
        for partition in partitions:  # until the look-back below ends
            self._dates_owed[partition] = _EVER
        gates = [
            gate
            for partition in partitions
            for gate in (self._screenable.get(partition), self._restored.get(partition))
            if gate is not None
        ]
        try:
            restored, written = await self._restore_from_kafka(partitions)
            self._complete.update(p for p in partitions if p in self._restored)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("restoring open shipments of partitions %s failed", partitions)
            raise
        finally:
            for gate in gates:
                gate.set()
            for partition in partitions:  # restored at once by a replay meanwhile
                restored += [
                    s
                    for s in self._claimed.pop(partition, ())
                    if s is self.state.get(s.shipment_id)
                ]
        await self._redecide(await self._stale(restored), self.feed.latest_commit)
        await self._look_back(restored)
        self._dates_paid(partitions)
        if self._stream_decided_at is None and written is not None:
            # No event decided here yet: the last worker's records say whether the stream was
            # live (written within the lag of the stream time: `quiet`), as a decided event would.
            # The look-back above started the dates from the restored stream time.
            self._stream_decided_at = written

    async def _stale(self, shipments: list[OpenShipment]) -> dict[str, Order | None]:
        """Those of `shipments` (restored or kept) an order read since their last check can
        change: found through the indexes, for each order whose held version was read at or past
        the position a shipment's check had reached; every one whose position is not known (a
        record written before records kept it, an orders topic of several partitions).
        Re-deciding every one decided against another order state re-screened the whole
        population a worker took over whenever any order had changed since."""
        feed, state = self.feed, self.state
        stale: dict[str, Order | None] = {}
        checked: dict[str, int] = {}
        for shipment in shipments:
            seen = shipment.checked_to
            if seen is None or feed.position is None or seen > feed.position:
                # Not known; or past this book (an orders topic recreated, its offsets anew).
                stale[shipment.shipment_id] = None
            else:
                checked[shipment.shipment_id] = seen
        changed = feed.applied_since(min(checked.values())) if checked else []
        if not changed:
            return stale
        mark = state.mark()
        await self.file_pending(mark)
        for n, (order_id, read_at) in enumerate(changed, 1):
            if n % LOOKUPS_PER_TURN == 0:
                await asyncio.sleep(0)  # the stream goes on (what it tracks is past the mark)
            order = feed.book.get(order_id)
            if order is None:
                continue
            for shipment in state.affected(None, order, until=mark):
                seen = checked.get(shipment.shipment_id)
                if seen is not None and seen <= read_at:
                    stale[shipment.shipment_id] = None
        return stale

    async def _look_back(self, restored: list[OpenShipment], since: datetime | None = None) -> None:
        """Re-decides the restored shipments an order's date reached after their decision (and
        after `since`, when given): the last worker may have died before it acted on that date
        (or not yet seen it)."""
        until = self.state.stream_time
        if until is None:
            return
        if self.dates.passed is None:  # from here on the dates are the stream's to reach
            self._start_dates(until)
        if not restored:
            return
        decided = min(s.dates_known for s in restored)
        since = decided if since is None else max(since, decided)
        passed = passed_between(self.feed.book.orders(), since, until)
        if passed:
            await self._dates_passed(passed, {s.shipment_id for s in restored})

    async def _restore_from_kafka(
        self, partitions: list[int]
    ) -> tuple[list[OpenShipment], datetime | None]:
        """The partitions' open shipments restored, and when their newest changelog record
        was written."""
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self.settings.kafka_bootstrap,
            group_id=None,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            fetch_max_wait_ms=self.settings.fetch_wait_ms,
            max_partition_fetch_bytes=self.settings.fetch_max_bytes,
        )
        await consumer.start()
        # Decoding, restoring and tracking go in chunks the stream goes on between: a takeover
        # of a large partition must not hold the loop (and the group's heartbeats) for long.
        size = self.settings.batch_size
        records: list[OpenShipmentRecord] = []
        try:
            read = await _read_changelog(consumer, self._topic, partitions)
            latest, written = list(read.latest.values()), read.written
            del read
            for start in range(0, len(latest), size):
                records += _readable(latest[start : start + size])
                await asyncio.sleep(0)
            del latest
            # The last worker's stream time, as its records written off the stream's path say
            # it: with their write time it tells whether the stream was live (`quiet`).
            stream_times = [r.stream_time for r in records if r.stream_time is not None]
            if stream_times:
                self.state.advance(max(stream_times))
            await self.feed.ready.wait()
            self._hold_pending(partitions, records)
            wanted = wanted_sources(records)
            sources = await _read_sources(consumer, self.settings.shipments_topic, wanted)
        except BaseException:
            self._forget_pending(records)
            raise
        finally:
            await consumer.stop()
        return await self._track_restored(partitions, records, sources), written

    def _hold_pending(self, partitions: list[int], records: list[OpenShipmentRecord]) -> None:
        """The changelog is read: the stream may screen the partitions from here on, their
        records held by shipment id until restored (the stream's newer word replaces one).
        Records that do not say their event's time (written before they did) keep their
        partitions waiting for the whole restore."""
        pending, untimed = self._pending, set()
        for record in records:
            if record.held_time() is None:
                untimed.add(record.partition)
            pending[record.shipment_id] = record
        for partition in partitions:
            gate = self._screenable.get(partition)
            if gate is not None and partition not in untimed:
                gate.set()

    def _forget_pending(self, records: list[OpenShipmentRecord]) -> None:
        pending = self._pending
        for record in records:
            if pending.get(record.shipment_id) is record:
                del pending[record.shipment_id]

    async def _track_restored(
        self,
        partitions: list[int],
        records: list[OpenShipmentRecord],
        sources: dict[tuple[int, int], bytes],
    ) -> list[OpenShipment]:
        """Restores and tracks the records' shipments a chunk at a time (returns those kept): a
        chunk's decoded events are dropped before the next (all of a large partition's at once
        held the loop 16 s for 200,000 shipments in one process, mostly the collector)."""
        state, missing, tracked, pending = self.state, 0, [], self._pending
        size = RESTORE_CHUNK
        try:
            for start in range(0, len(records), size):
                # Those the stream has not restored, closed or replaced meanwhile.
                due = [r for r in records[start : start + size] if pending.get(r.shipment_id) is r]
                chunk, gone = track_restored(state, due, sources, partitions)
                self._forget_pending(due)
                tracked += chunk
                missing += gone
                await asyncio.sleep(0)
        except BaseException:  # cut short: the rest are not coming (each chunk forgot its own)
            self._forget_pending(records)
            raise
        # The window as of the stream time all of them gave: those before it are not kept.
        kept: list[OpenShipment] = []
        for shipment in tracked:
            if state.get(shipment.shipment_id) is not shipment:
                continue  # the stream's newer event replaced it meanwhile
            if state.within_window(shipment.event_time):
                kept.append(shipment)
            else:
                state.close(shipment.shipment_id)
        if missing:
            log.error(
                "%d open shipments of partitions %s not restored: their `%s` records are gone"
                " (the topic's retention must cover the open window)",
                missing,
                partitions,
                self.settings.shipments_topic,
            )
        metrics.OPEN_SHIPMENTS.set(len(state))
        log.info("restored %d open shipments of partitions %s", len(kept), partitions)
        return kept

    # ------------------------------------------------------------- order updates

    async def orders_changed(self, changes: list[tuple[Order | None, Order]]) -> None:
        """Re-decides the open shipments the updates can affect (the last update wins a tie)."""
        for _, order in changes:
            self.dates.add(order)  # its dates still to come
        self._next_date = min(self._next_date, self.dates.next_at or _NEVER)
        mark = self.state.mark()  # those tracked from here on are decided against these orders
        await self.file_pending(mark)
        affected: dict[str, Order | None] = {}
        for n, (previous, order) in enumerate(changes, 1):
            for shipment in self.state.affected(previous, order, until=mark):
                affected[shipment.shipment_id] = order
            if n % LOOKUPS_PER_TURN == 0:
                await asyncio.sleep(0)  # the stream goes on (what it tracks is past the mark)
        log.info(
            "order update(s) %s reach %d open shipments",
            [o.order_id for _, o in changes],
            len(affected),
        )
        if affected:
            await self._redecide(affected, self.feed.latest_commit)

    async def _redecide(
        self,
        shipments: dict[str, Order | None],
        as_of: datetime | None,
        recheck: bool = False,
        owed: datetime | None = None,
    ) -> None:
        """`recheck`: also the shipments decided against this order state already (a date came:
        the same orders decide differently as of it); not timed as a commit's re-screen.
        `owed`: the dates after it are owed by the partitions whose shipments this skips as
        parked (their look-back if they are kept)."""
        if not shipments:
            return
        outbox = await self._outbox_ready()
        run = _Run(self, None if recheck else as_of)
        book, state = self.feed.book, self.state
        self._backlog += len(shipments)
        metrics.RESCREEN_BACKLOG.set(self._backlog)
        items = list(shipments.items())
        size = self.settings.batch_size
        unprocessed = len(items)
        try:
            for start in range(0, len(items), size):
                if start:
                    await asyncio.sleep(0)  # shipments and order updates go on between chunks
                decided_at = datetime.now(UTC)
                for shipment_id, trigger in items[start : start + size]:
                    self._backlog -= 1
                    unprocessed -= 1
                    shipment = state.get(shipment_id)
                    if shipment is None or (
                        shipment.checked_version == book.version and not recheck
                    ):
                        continue  # closed, or decided against this very order state already
                    if shipment.partition in self._parked:
                        # Not ours until the next assignment: redone if it is (a date's re-check
                        # by the look-back).
                        if owed is not None:
                            self._owe_dates(shipment.partition, owed)
                        continue
                    shipment.checked_version = book.version
                    shipment.checked_to = self.feed.position
                    self._redecide_one(shipment, trigger, decided_at, as_of, outbox, run, recheck)
                metrics.RESCREEN_BACKLOG.set(self._backlog)
                await outbox.flush()
        finally:
            self._backlog -= unprocessed  # a cancelled run (revoked partitions) leaves none
            metrics.RESCREEN_BACKLOG.set(self._backlog)
            run.seal()
            log.info(
                "re-decided %d of %d open shipments (%d superseded, %d left) against %s",
                len(items) - unprocessed,
                len(items),
                run.produced,
                unprocessed,
                book.version,
            )

    def _dates_paid(self, partitions: Iterable[int]) -> None:
        """The partitions owe no dates: acted on (a look-back ended), or no longer held."""
        for partition in partitions:
            self._dates_owed.pop(partition, None)

    def _owe_dates(self, partition: int, since: datetime) -> None:
        owed = self._dates_owed.get(partition)
        if owed is None or since < owed:
            self._dates_owed[partition] = since

    def _redecide_one(
        self,
        shipment: OpenShipment,
        trigger: Order | None,
        decided_at: datetime,
        as_of: datetime | None,
        outbox: Outbox[Any],
        run: _Run,
        recheck: bool = False,
    ) -> None:
        metrics.RESCREENS.inc()
        try:
            redecided = rescreen(
                shipment,
                self.feed.book,
                self.policy,
                decided_at=decided_at,
                as_of=as_of,
                trigger=trigger,
            )
        except Exception:  # an engine defect costs this shipment's re-decision, not the stream
            log.exception("re-screening %s failed", shipment.shipment_id)
            metrics.RESCREEN_FAILURES.inc()
            return
        if redecided is None:
            self._unchanged(shipment, as_of if recheck else None, outbox)
            return
        decision = redecided.decision
        assert decision.decision_id is not None
        self.state.redecided(shipment, decision, redecided.event)
        key = decision.shipment_id.encode()
        self._unwritten[decision.shipment_id] = decision.decision_id
        source = run.output(decision.shipment_id, decision.decision_id)
        outbox.add(self.settings.decisions_topic, key, encode(decision), self._header, source)
        _SUPERSEDED[decision.outcome].inc()

    def _unchanged(
        self, shipment: OpenShipment, date: datetime | None, outbox: Outbox[Any]
    ) -> None:
        """A re-check left its decision as it was: its record says how far it was checked (the
        orders position, `checked_to`; for a date's re-check, the date: `dates_checked`), else a
        takeover re-checks it again for the same orders and dates. Not while a superseding
        decision of its own waits for delivery: that record, written then, says it too."""
        if date is not None and date > shipment.dates_known:
            shipment.dates_checked = date
        elif shipment.checked_to is None:
            return  # the orders position is not kept (several partitions): nothing new to say
        if shipment.shipment_id not in self._unwritten:
            self._write_record(outbox, shipment)

    def _write_record(self, outbox: Outbox[Any], shipment: OpenShipment) -> None:
        """Its changelog record, as it stands (no consumed record waits on it)."""
        key, record = shipment.shipment_id.encode(), encode_open(shipment, self.state.stream_time)
        outbox.add(self._topic, key, record, self._header, _UNSOURCED, partition=shipment.partition)

    def superseded(self, shipment_id: str, decision_id: str) -> None:
        """A superseding decision is in Kafka: now its changelog record may say so."""
        if self._unwritten.get(shipment_id) == decision_id:
            del self._unwritten[shipment_id]
        shipment = self.state.get(shipment_id)
        if shipment is None or shipment.decision_id != decision_id or self._outbox is None:
            return
        if shipment.partition in self._parked:  # written if the partition is kept
            self._parked_writes.append((shipment.partition, shipment_id, decision_id))
            return
        self._write_record(self._outbox, shipment)
        self._flush_soon()

    # ------------------------------------------------------------- housekeeping

    async def sweep(self) -> None:
        """Closes the shipments that fell out of the window and writes their tombstones. It goes
        through a snapshot of the open shipments in chunks the stream goes on between: a pass
        over millions of them must not hold the loop (and the group's heartbeats) at once."""
        state, chunk = self.state, self.settings.batch_size * SWEEP_CHUNKS
        held, expired, parked = state.snapshot(), [], self._parked
        for start in range(0, len(held), chunk):
            ours = [s for s in held[start : start + chunk] if s.partition not in parked]
            expired += state.expire(ours)
            await asyncio.sleep(0)
        del held
        if not expired:
            return
        outbox = await self._outbox_ready()
        for shipment in expired:
            key = shipment.shipment_id.encode()
            outbox.add(
                self._topic, key, None, self._header, _UNSOURCED, partition=shipment.partition
            )
        metrics.OPEN_SHIPMENTS.set(len(self.state))
        await outbox.flush()

    async def _outbox_ready(self) -> Outbox[Any]:
        if self._outbox is None:
            self._outbox = await self._sending()
        return self._outbox

    def _flush_soon(self) -> None:
        if not self._flush_due:
            self._flush_due = True
            self._spawn(self._flush())

    async def _flush(self) -> None:
        await asyncio.sleep(0)  # gather the deliveries of the same response
        self._flush_due = False
        if self._outbox is not None:
            with contextlib.suppress(Exception):  # a failure stops the worker at the next take
                await self._outbox.flush()

    def _spawn(self, work: Awaitable[None]) -> asyncio.Task[None]:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task


class ChangelogRead(NamedTuple):
    latest: dict[str, bytes | None]  # the latest value per key (None: a tombstone)
    written: datetime | None  # when its newest record, not a tombstone, was written (or None)


async def _read_changelog(
    consumer: AIOKafkaConsumer, topic: str, partitions: list[int]
) -> ChangelogRead:
    """The latest value per key of the changelog partitions (None: a tombstone), and when the
    newest record that is not a tombstone was written."""
    latest: dict[str, bytes | None] = {}
    newest = -1
    tps = [TopicPartition(topic, partition) for partition in partitions]
    consumer.assign(tps)
    await consumer.seek_to_beginning(*tps)
    while True:
        batches = await consumer.getmany(timeout_ms=100)
        for records in batches.values():
            for record in records:
                if record.key is not None:
                    latest[record.key.decode("utf-8", "replace")] = record.value
                    # A tombstone is written when its shipment closes, however long after the
                    # stream time: only the records of open shipments tell of their decisions.
                    if record.value is not None and record.timestamp > newest:
                        newest = record.timestamp
        positions = {tp: await consumer.position(tp) for tp in tps}
        if caught_up(positions, {tp: consumer.highwater(tp) for tp in tps}):
            written = datetime.fromtimestamp(newest / 1000, UTC) if newest >= 0 else None
            return ChangelogRead(latest, written)


def _readable(latest: Iterable[bytes | None]) -> list[OpenShipmentRecord]:
    records = []
    for value in latest:
        if value is None:
            continue
        try:
            records.append(decode_open(value))
        except Exception as exc:  # a bad record costs that shipment's re-screens, not all
            log.error("skipping an unreadable open-shipment record: %s", exc)
    return records


async def _read_sources(
    consumer: AIOKafkaConsumer, topic: str, wanted: dict[int, set[int]]
) -> dict[tuple[int, int], bytes]:
    """The values at the wanted offsets of `topic`'s partitions, read from the lowest to the
    highest (or to the end: an offset past it, or deleted by retention, is not found)."""
    found: dict[tuple[int, int], bytes] = {}
    if not wanted:
        return found
    tps = {TopicPartition(topic, partition): offsets for partition, offsets in wanted.items()}
    consumer.assign(list(tps))
    for tp, offsets in tps.items():
        consumer.seek(tp, min(offsets))
    last = {tp: max(offsets) for tp, offsets in tps.items()}
    while last:
        batches = await consumer.getmany(*last, timeout_ms=100)
        for tp, records in batches.items():
            offsets = tps[tp]
            for record in records:
                if record.offset in offsets and record.value is not None:
                    found[(tp.partition, record.offset)] = record.value
        for tp in list(last):
            position = await consumer.position(tp)
            highwater = consumer.highwater(tp)
            if position > last[tp] or (highwater is not None and position >= highwater):
                del last[tp]
    return found
