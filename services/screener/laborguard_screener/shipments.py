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

from laborguard_contracts import Decision, Outcome
from laborguard_screener import metrics
from laborguard_screener.deadletter import DeadLetter, SourceRecord
from laborguard_screener.intake import Screened, take_in
from laborguard_screener.orderstate import OrderFeed
from laborguard_screener.outbox import Outbox
from laborguard_screener.screening import ScreeningPolicy
from laborguard_screener.settings import ScreenerSettings

log = logging.getLogger(__name__)

_DECIDED = {outcome: metrics.DECISIONS.labels(outcome.value) for outcome in Outcome}


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
        decided_at = datetime.now(UTC)
        for event in events:
            await self._screen(event.message, decided_at)
        await self._sending().flush()
        self._observe_lag(events)

    async def _screen(self, message: faust.types.Message, decided_at: datetime) -> None:
        started = time.perf_counter()
        outcome = take_in(message.value, self.feed.book, self.policy, decided_at)
        metrics.PROCESSING_SECONDS.observe(time.perf_counter() - started)
        source = SourceRecord(message.topic, message.partition, message.offset)
        if isinstance(outcome, Screened):
            await self._emit(outcome, source)
        else:
            await self._dead_letter(message, outcome, source)

    async def _emit(self, screened: Screened, source: SourceRecord) -> None:
        decision = screened.decision
        # The source headers tie a decision to the exact record it decided (audit, replays).
        headers = source.headers() + self._worker_header
        await self._send(
            self.settings.decisions_topic, decision.shipment_id.encode(), screened.value, headers
        )
        _count(decision)

    async def _dead_letter(
        self, message: faust.types.Message, dead: DeadLetter, source: SourceRecord
    ) -> None:
        log.warning(
            "dead-lettering %s/%d@%d: %s", source.topic, source.partition, source.offset, dead.error
        )
        headers = dead.headers(source) + self._worker_header
        await self._send(self.settings.dead_letter_topic, message.key, message.value, headers)
        metrics.DEAD_LETTERS.labels(dead.reason.value).inc()

    async def _send(
        self, topic: str, key: bytes | None, value: bytes | None, headers: list[tuple[str, bytes]]
    ) -> None:
        await self._sending().add(topic, key, value, headers)

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
        metrics.MATCHES.labels(match.kind.value).inc()
    latency = (decision.decided_at - decision.event_time).total_seconds()
    metrics.EVENT_TO_DECISION_SECONDS.observe(latency)
