"""What a report groups decisions by, read from the shipment events they were taken on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from laborguard_contracts import ShipmentEvent

UNKNOWN = "?"


@dataclass(frozen=True, slots=True)
class Attributes:
    month: str  # YYYY-MM of the event time, in the port's own time zone
    port: str
    chapters: tuple[str, ...]  # distinct HTS chapters (2 digits) of the lines


NO_ATTRIBUTES = Attributes(UNKNOWN, UNKNOWN, (UNKNOWN,))


def attributes_of(event: ShipmentEvent) -> Attributes:
    chapters = tuple(sorted({line.hts_code[:2] for line in event.lines}))
    return Attributes(event.event_time.strftime("%Y-%m"), event.port_code, chapters)


def index(events: Iterable[ShipmentEvent]) -> dict[str, Attributes]:
    """Attributes by event id."""
    return {event.event_id: attributes_of(event) for event in events}
