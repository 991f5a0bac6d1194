"""When trade happens: monthly volume (growth, season, pandemic) and filing hours."""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise

# Relative volume by calendar month: Lunar New Year lull in Feb-Mar, pre-holiday peak Aug-Oct.
SEASON = (1.0, 0.8, 0.85, 0.95, 1.0, 1.0, 1.05, 1.15, 1.15, 1.1, 1.0, 0.95)
# Year-level swings of US container imports: the 2020 spring collapse, the 2021-22 surge.
EVENTS = {
    (2020, 3): 0.8,
    (2020, 4): 0.75,
    (2020, 5): 0.8,
    (2021, 1): 1.15,
    (2021, 5): 1.15,
    (2021, 8): 1.15,
    (2022, 5): 1.1,
    (2023, 2): 0.85,
}
GROWTH = 0.03  # per year
FIRST_HOUR, LAST_HOUR = 7, 19  # filings happen in working hours, port local time


@dataclass(frozen=True)
class Calendar:
    """Maps a uniform 0..1 onto the span so that busier months get more entries (monotone)."""

    starts: tuple[datetime, ...]  # month boundaries, the span's start first and end last
    cumulative: tuple[float, ...]  # share of volume before each boundary


def _months(start: datetime, end: datetime) -> list[datetime]:
    bounds, cursor = [start], datetime(start.year, start.month, 1, tzinfo=UTC)
    while True:
        cursor = (cursor + timedelta(days=32)).replace(day=1)
        if cursor >= end:
            return [*bounds, end]
        bounds.append(cursor)


def _weight(month: datetime, start: datetime) -> float:
    years = (month - start).days / 365.25
    event = EVENTS.get((month.year, month.month), 1.0)
    return SEASON[month.month - 1] * event * math.pow(1 + GROWTH, years)


def calendar(start: datetime, end: datetime) -> Calendar:
    bounds = _months(start, end)
    totals = [0.0]
    for left, right in pairwise(bounds):
        days = (right - left).total_seconds() / 86_400
        totals.append(totals[-1] + _weight(left, start) * days)
    return Calendar(tuple(bounds), tuple(t / totals[-1] for t in totals))


def moment_at(cal: Calendar, share: float) -> datetime:
    """The instant before which `share` of the span's volume falls."""
    i = min(bisect_right(cal.cumulative, share) - 1, len(cal.starts) - 2)
    low, high = cal.cumulative[i], cal.cumulative[i + 1]
    fraction = (share - low) / (high - low) if high > low else 0.0
    return cal.starts[i] + (cal.starts[i + 1] - cal.starts[i]) * fraction


def working_hours(local: datetime) -> datetime:
    """Squeezes a local time of day into working hours, same day (moves it < 12 hours)."""
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    seconds = (local - midnight).total_seconds()
    span = (LAST_HOUR - FIRST_HOUR) * 3600
    return midnight + timedelta(seconds=FIRST_HOUR * 3600 + seconds * span / 86_400)
