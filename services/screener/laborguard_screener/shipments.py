"""The shipment screener: batches of raw records in, decisions or dead letters out, counted.

faust's consumer hands it every fetched batch of `shipments` records (transport.py). Records are
raw bytes (no faust.Record): the one codec validates them, and a record that fails becomes a dead
letter instead of an exception. Outputs go out as one Kafka record batch per partition
(outbox.py), not awaited; a record is acked to faust, and so may have its offset committed, only
once the broker has acknowledged its decision or dead letter.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

import faust
from faust.types import TP, Message

from laborguard_contracts import Decision, OrderKind, Outcome, ReferralReason
from laborguard_screener import metrics
from laborguard_screener.deadletter import DeadLetter, SourceRecord
from laborguard_screener.engine.screening import ScreeningPolicy, Trace
from laborguard_screener.intake import Screened, take_in
from laborguard_screener.ongoing import Delivery, Joint, OngoingScreening
from laborguard_screener.orderstate import OrderFeed
from laborguard_screener.outbox import Outbox
from laborguard_screener.settings import ScreenerSettings
from laborguard_screener.transactional import TransactionalOutbox, transactional_producer
from laborguard_screener.transport import kafka_producer

log = logging.getLogger(__name__)

_DECIDED = {outcome: metrics.DECISIONS.labels(outcome.value) for outcome in Outcome}
_MATCHED = {kind: metrics.MATCHES.labels(kind.value) for kind in OrderKind}
_REFERRED = {reason: metrics.REFERRALS.labels(reason.value) for reason in ReferralReason}
Source = Message | Delivery


class ShipmentScreener:
    def __init__(
        self, app: faust.App, settings: ScreenerSettings, feed: OrderFeed, policy: ScreeningPolicy
    ) -> None:
        self.app = app
        self.settings = settings
        self.feed = feed
        self.policy = policy
        self._worker_header = [("worker", settings.worker_id.encode())]
        self._outbox: Outbox[Source] | None = None
        self._opening = asyncio.Lock()
        # Open shipments re-decided when orders change (None: off, today's one decision per event).
        self.ongoing: OngoingScreening | None = None
        if settings.open_window_days > 0:
            self.ongoing = OngoingScreening(settings, feed, policy, self._sending)

    async def take(self, messages: Sequence[Message]) -> None:
        """Decides a fetched batch, in chunks of `batch_size` decided against one order book.

        Called after every fetch, also an empty one; raises `DeliveryFailed` once an output was not
        delivered (faust then stops the worker)."""
        if self._outbox is not None:
            self._outbox.raise_if_failed()
        if not messages:
            if self.ongoing is not None:  # a quiet live stream's dates and window: the clock
                self.ongoing.quiet(datetime.now(UTC))
            return
        await self.feed.ready.wait()  # no decision against incomplete order state
        if self.ongoing is not None:  # nor before the partitions' open shipments are known
            await self.ongoing.wait_screenable({message.partition for message in messages})
        outbox = await self._sending()
        size = self.settings.batch_size
        for start in range(0, len(messages), size):
            if start:
                await asyncio.sleep(0)  # order updates apply between chunks
            await self.screen_batch(messages[start : start + size], outbox)
        self._observe_lag(messages)
        if self.ongoing is not None:
            self.ongoing.observe()

    async def screen_batch(self, messages: Sequence[Message], outbox: Outbox[Source]) -> None:
        metrics.EVENTS_CONSUMED.inc(len(messages))
        track = self.app.consumer.track_message
        decided_at = datetime.now(UTC)
        tally = _Tally()
        # No await per record: the batch is decided against one book.
        for message in messages:
            track(message)  # pending until its output is delivered (faust's wait_empty, commits)
            self._screen(message, decided_at, outbox, tally)
        tally.publish()
        await outbox.flush()

    def _screen(
        self, message: Message, decided_at: datetime, outbox: Outbox[Source], tally: _Tally
    ) -> None:
        started = time.perf_counter()
        source = SourceRecord(message.topic, message.partition, message.offset)
        # With ongoing screening the engine reports what it looked at: the open shipment is
        # indexed from that, not from a second walk of the event.
        trace = Trace() if self.ongoing is not None else None
        outcome = take_in(
            message.value,
            self.feed.book,
            self.policy,
            decided_at,
            key=message.key,
            source=source,
            trace=trace,
        )
        metrics.PROCESSING_SECONDS.observe(time.perf_counter() - started)
        if isinstance(outcome, Screened):
            ongoing, value, change = self.ongoing, message.value, None
            if ongoing is not None and value is not None:
                outcome = ongoing.amend(outcome, message.partition, message.offset, value)
                change = ongoing.follow(message.partition, message.offset, value, outcome)
            decision = outcome.decision
            # The source headers tie a decision to the exact record it decided (audit, replays).
            headers = source.headers() + self._worker_header
            key = decision.shipment_id.encode()
            # Acked once every output is delivered: the decision and the open-shipment record.
            sent: Source = message if change is None else Joint(message, 2)
            outbox.add(self.settings.decisions_topic, key, outcome.value, headers, sent)
            if change is not None:  # its value names the source; the header names the worker
                topic, worker = self.settings.open_shipments_topic, self._worker_header
                outbox.add(topic, key, change[0], worker, sent, partition=message.partition)
            tally.count(decision)
        else:
            self._dead_letter(message, outcome, source, outbox, tally)

    def _dead_letter(
        self,
        message: Message,
        dead: DeadLetter,
        source: SourceRecord,
        outbox: Outbox[Source],
        tally: _Tally,
    ) -> None:
        log.warning(
            "dead-lettering %s/%d@%d: %s", source.topic, source.partition, source.offset, dead.error
        )
        headers = dead.headers(source) + self._worker_header
        sent: Source = message
        if dead.referral is not None and dead.referral_value is not None:
            # The shipment is named: its port system hears REFER, the bytes still go to the DLQ.
            sent = Joint(message, 2)
            key = dead.referral.shipment_id.encode()
            decision_headers = source.headers() + self._worker_header
            outbox.add(
                self.settings.decisions_topic, key, dead.referral_value, decision_headers, sent
            )
            tally.count(dead.referral)
        outbox.add(self.settings.dead_letter_topic, message.key, message.value, headers, sent)
        metrics.DEAD_LETTERS.labels(dead.reason.value).inc()

    async def _sending(self) -> Outbox[Source]:
        """The outbox, opened by the first caller. Callers can race: a partition's first take
        and the re-screen of the open shipments it restored both ask for it. Opened twice, two
        transactional producers share one transactional id and the second fences the first."""
        outbox = self._outbox
        if outbox is None:
            async with self._opening:
                if self._outbox is None:
                    self._outbox = await self._open_outbox()
                outbox = self._outbox
        return outbox

    async def _open_outbox(self) -> Outbox[Source]:
        outbox: Outbox[Source]
        if self.settings.exactly_once:
            transactions = await transactional_producer(self.settings)
            outbox = TransactionalOutbox(transactions, self.settings.group_id, self._delivered)
        else:
            # faust's producer is started by now; its aiokafka producer takes whole batches
            outbox = Outbox(kafka_producer(self.app), self._delivered)
        await outbox.know_partitions(self.settings.decisions_topic, self.settings.dead_letter_topic)
        return outbox

    def _delivered(self, sources: Sequence[Source]) -> None:
        ack = self.app.consumer.ack
        for source in sources:
            if isinstance(source, Delivery):
                source.delivered(ack)
            else:
                ack(source)

    def forget_lag(self, revoked: Iterable[TP]) -> None:
        """Drops the lag of partitions this worker no longer holds (another worker reports it)."""
        for tp in revoked:
            if tp.topic == self.settings.shipments_topic:
                with contextlib.suppress(KeyError):  # never measured here
                    metrics.CONSUMER_LAG.remove(tp.topic, str(tp.partition))

    def _observe_lag(self, messages: Sequence[Message]) -> None:
        next_offsets = {message.tp: message.offset + 1 for message in messages}
        for tp, next_offset in next_offsets.items():
            highwater = self.app.consumer.highwater(tp)
            if highwater is not None:
                lag = metrics.CONSUMER_LAG.labels(tp.topic, str(tp.partition))
                lag.set(max(highwater - next_offset, 0))


class _Tally:
    """A batch's decision counters, added to the Prometheus counters once per batch (each `inc`
    takes a lock); the latency histogram is lock-free and observed per decision."""

    __slots__ = ("kinds", "outcomes")

    def __init__(self) -> None:
        self.outcomes: dict[Outcome, int] = {}
        self.kinds: dict[OrderKind, int] = {}

    def count(self, decision: Decision) -> None:
        self.outcomes[decision.outcome] = self.outcomes.get(decision.outcome, 0) + 1
        if decision.referral is not None:
            _REFERRED[decision.referral].inc()
        for match in decision.matches:
            self.kinds[match.kind] = self.kinds.get(match.kind, 0) + 1
        latency = (decision.decided_at - decision.event_time).total_seconds()
        metrics.EVENT_TO_DECISION_SECONDS.observe(latency)

    def publish(self) -> None:
        for outcome, decided in self.outcomes.items():
            _DECIDED[outcome].inc(decided)
        for kind, matched in self.kinds.items():
            _MATCHED[kind].inc(matched)
