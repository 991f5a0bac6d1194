"""Turns a history file into the sends of a replay: window filter, due times, skipped lines."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import AwareDatetime, BaseModel, ConfigDict

from laborguard_contracts import ShipmentEvent
from laborguard_contracts.codec import encode
from laborguard_contracts.types import Identifier
from laborguard_replay import history
from laborguard_replay.errors import HistoryError
from laborguard_replay.pacing import Pace, Window


class EventHeader(BaseModel):
    """What pacing and keying need of an event, for replays that skip full validation."""

    model_config = ConfigDict(frozen=True, extra="ignore")
    shipment_id: Identifier
    event_time: AwareDatetime


Replayed = ShipmentEvent | EventHeader


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
    path: Path, tally: Tally, *, skip_invalid: bool, validate: bool = True
) -> Iterator[history.Record[Replayed]]:
    """The file's events; validate=False checks only the shipment id and event time."""
    model: type[Replayed] = ShipmentEvent if validate else EventHeader
    for number, raw in history.raw_lines(path):
        tally.read += 1
        try:
            yield history.parse(path, number, raw, model)
        except HistoryError as exc:
            if not skip_invalid:
                raise
            tally.invalid.append(exc)
            print(f"skipped {exc}", file=sys.stderr)


def sends(
    items: Iterator[history.Record[Replayed]],
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
        value = encode(event) if reencode and isinstance(event, ShipmentEvent) else record.raw
        yield Send(pace.offset(first, event.event_time), event.shipment_id.encode(), value)
