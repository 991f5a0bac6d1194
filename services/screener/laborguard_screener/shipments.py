"""The shipment agent's body: batches of raw records in, decisions or dead letters out, counted.

Records are raw bytes (no faust.Record): the one codec validates them, and a record that fails
becomes a dead letter instead of crashing the agent (faust would drop it and stall 5 s).
Outputs go out as one Kafka record batch per partition (outbox.py), not awaited: faust flushes
the producer before it commits offsets, so a record is acknowledged only once its decision has
been handed to Kafka.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, cast

import faust
from faust.streams import Stream

from laborguard_contracts import Decision, OrderKind, Outcome
from laborguard_screener import metrics
from laborguard_screener.deadletter import DeadLetter, SourceRecord
from laborguard_screener.intake import Screened, take_in
from laborguard_screener.orderstate import OrderFeed
from laborguard_screener.outbox import Outbox
from laborguard_screener.screening import ScreeningPolicy
from laborguard_screener.settings import ScreenerSettings

log = logging.getLogger(__name__)

_DECIDED = {outcome: metrics.DECISIONS.labels(outcome.value) for outcome in Outcome}
_MATCHED = {kind: metrics.MATCHES.labels(kind.value) for kind in OrderKind}


class ShipmentScreener:
    def __init__(
        self, app: faust.App, settings: ScreenerSettings, feed: OrderFeed, policy: ScreeningPolicy
    ) -> None:
        self.app = app
        self.settings = settings
        self.feed = feed
        self.policy = policy
        self._worker_header = [("worker", settings.worker_id.encode())]
        self._outbox: Outbox | None = None

    async def process(self, stream: faust.StreamT[bytes]) -> None:
        await self.feed.ready.wait()  # no decision against incomplete order state
        # faust's producer is started by now; its aiokafka producer takes whole batches
        self._outbox = Outbox(cast(Any, self.app.producer)._ensure_producer())
        # take_events is on the concrete Stream only, not on faust's StreamT protocol
        batches = cast(Stream[bytes], stream).take_events(
            self.settings.batch_size, within=self.settings.batch_window_seconds
        )
        async for events in batches:
            await self.screen_batch(events)

    async def screen_batch(self, events: Sequence[faust.EventT[bytes]]) -> None:
        metrics.EVENTS_CONSUMED.inc(len(events))
        outbox = self._sending()
        await outbox.know_partitions(self.settings.decisions_topic, self.settings.dead_letter_topic)
        decided_at = datetime.now(UTC)
        # No await per event: the batch is decided against one book, and faust's per-await
        # scheduling is not paid per event.
        for event in events:
            self._screen(event.message, decided_at, outbox)
        await outbox.flush()
        self._observe_lag(events)

    def _screen(self, message: faust.types.Message, decided_at: datetime, outbox: Outbox) -> None:
        started = time.perf_counter()
        outcome = take_in(message.value, self.feed.book, self.policy, decided_at)
        metrics.PROCESSING_SECONDS.observe(time.perf_counter() - started)
        source = SourceRecord(message.topic, message.partition, message.offset)
        if isinstance(outcome, Screened):
            decision = outcome.decision
            # The source headers tie a decision to the exact record it decided (audit, replays).
            headers = source.headers() + self._worker_header
            key = decision.shipment_id.encode()
            outbox.add(self.settings.decisions_topic, key, outcome.value, headers)
            _count(decision)
        else:
            self._dead_letter(message, outcome, source, outbox)

    def _dead_letter(
        self, message: faust.types.Message, dead: DeadLetter, source: SourceRecord, outbox: Outbox
    ) -> None:
        log.warning(
            "dead-lettering %s/%d@%d: %s", source.topic, source.partition, source.offset, dead.error
        )
        headers = dead.headers(source) + self._worker_header
        outbox.add(self.settings.dead_letter_topic, message.key, message.value, headers)
        metrics.DEAD_LETTERS.labels(dead.reason.value).inc()

    def _sending(self) -> Outbox:
        if self._outbox is None:
            raise RuntimeError("screen_batch called before the order state was ready")
        return self._outbox

    def _observe_lag(self, events: Sequence[faust.EventT[bytes]]) -> None:
        next_offsets = {event.message.tp: event.message.offset + 1 for event in events}
        for tp, next_offset in next_offsets.items():
            highwater = self.app.consumer.highwater(tp)
            if highwater is not None:
                lag = metrics.CONSUMER_LAG.labels(tp.topic, str(tp.partition))
                lag.set(max(highwater - next_offset, 0))


def _count(decision: Decision) -> None:
    _DECIDED[decision.outcome].inc()
    for match in decision.matches:
        _MATCHED[match.kind].inc()
    latency = (decision.decided_at - decision.event_time).total_seconds()
    metrics.EVENT_TO_DECISION_SECONDS.observe(latency)
