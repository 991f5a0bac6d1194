"""The whole history in event-time order: shipments spread over the years, events merged."""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from random import Random

from laborguard_contracts import ShipmentEvent
from laborguard_contracts.seed import load_seed
from laborguard_replay.generator.calendar import Calendar, calendar, moment_at
from laborguard_replay.generator.events import render
from laborguard_replay.generator.listed import listed_targets
from laborguard_replay.generator.shipments import plan

# No event lies further than this before its entry (ISF lead of up to 35 days, moved into working
# hours by less than half a day); events older than this are final and flushed.
MAX_LEAD = timedelta(days=36)


@dataclass(frozen=True)
class HistorySpec:
    seed: int = 7
    count: int = 3000
    start: datetime = datetime(2019, 2, 10, tzinfo=UTC)  # leaves room for ISF leads in 2019
    end: datetime = datetime(2025, 12, 20, tzinfo=UTC)  # and for entry summaries in 2025


@cache
def _calendar(spec: HistorySpec) -> Calendar:
    return calendar(spec.start, spec.end)


def entry_time(spec: HistorySpec, index: int, rng: Random) -> datetime:
    """Entries follow the monthly volume, and entry times never decrease with the index."""
    return moment_at(_calendar(spec), (index + rng.random()) / spec.count)


def events(spec: HistorySpec) -> Iterator[ShipmentEvent]:
    """Every event of the history, validated, ordered by event time (ties by event id)."""
    targets = listed_targets(load_seed())
    pending: list[tuple[datetime, str, ShipmentEvent]] = []
    for index in range(spec.count):
        rng = Random(f"{spec.seed}/shipment/{index}")
        entry_at = entry_time(spec, index, rng)
        while pending and pending[0][0] < entry_at - MAX_LEAD:
            yield heapq.heappop(pending)[2]
        for document in render(rng, spec.seed, plan(rng, spec.seed, index, entry_at, targets)):
            event = ShipmentEvent.model_validate(document)
            heapq.heappush(pending, (event.event_time, event.event_id, event))
    while pending:
        yield heapq.heappop(pending)[2]
