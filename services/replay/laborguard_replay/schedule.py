"""Turns a history file into the sends of a replay: window filter, due times, skipped lines."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from laborguard_contracts import ShipmentEvent
from laborguard_contracts.codec import encode
from laborguard_replay import history
from laborguard_replay.errors import HistoryError
from laborguard_replay.pacing import Pace, Window


@dataclass(frozen=True)
class Send:
    due: float  # seconds after the replay's start
    key: bytes
    value: bytes


@dataclass
class Tally:
    """What happened to the lines of the file (filled while the schedule is consumed)."""

    read: int = 0
    outside_window: int = 0
    invalid: list[HistoryError] = field(default_factory=list)


def records(
    path: Path, tally: Tally, *, skip_invalid: bool
) -> Iterator[history.Record[ShipmentEvent]]:
    for number, raw in history.raw_lines(path):
        tally.read += 1
        try:
            yield history.parse(path, number, raw, ShipmentEvent)
        except HistoryError as exc:
            if not skip_invalid:
                raise
            tally.invalid.append(exc)
            print(f"skipped {exc}", file=sys.stderr)


def sends(
    items: Iterator[history.Record[ShipmentEvent]],
    window: Window,
    pace: Pace,
    tally: Tally,
    *,
    reencode: bool = False,
) -> Iterator[Send]:
    """Events inside the window, each due at its original offset from the first one / speed."""
    first = None
    for record in items:
        event = record.message
        if not window.contains(event.event_time):
            tally.outside_window += 1
            continue
        first = first or event.event_time
        value = encode(event) if reencode else record.raw
        yield Send(pace.offset(first, event.event_time), event.shipment_id.encode(), value)
