"""Shipment events and synthetic orders for the screener's tests and benchmark."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from laborguard_contracts import (
    CoveredEntity,
    Order,
    OrderKind,
    Party,
    ShipmentEvent,
    ShipmentEventType,
    ShipmentLine,
    TimelineEvent,
    TimelineEventKind,
)

EVENT_TIME = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)


def shipment(
    number: int,
    manufacturer: str = "Harbor Textile Works Ltd",
    country: str = "VN",
    hts_code: str = "6109.10.0012",
    event_time: datetime = EVENT_TIME,
) -> ShipmentEvent:
    return ShipmentEvent(
        event_id=f"evt-{number}",
        shipment_id=f"shp-{number}",
        event_type=ShipmentEventType.ENTRY_FILED,
        event_time=event_time,
        port_code="2704",
        importer_of_record=Party(name="Pacific Apparel Imports LLC"),
        lines=(
            ShipmentLine(
                line_number=1,
                hts_code=hts_code,
                description="cotton t-shirts",
                country_of_origin=country,
                value_usd=Decimal("1250.00"),
                manufacturer=Party(name=manufacturer),
            ),
        ),
    )


def entity_order(
    number: int, name: str, version: int = 1, updated_at: datetime | None = None
) -> Order:
    """A synthetic UFLPA Entity List entry naming one company, in force since 2023."""
    return Order(
        order_id=f"synthetic-{number}",
        version=version,
        kind=OrderKind.ENTITY_LIST,
        title=f"UFLPA Entity List: {name}",
        entities=(CoveredEntity(name=name, country="CN"),),
        timeline=(TimelineEvent(kind=TimelineEventKind.IN_FORCE, effective=date(2023, 6, 1)),),
        updated_at=updated_at,
    )


def synthetic_name(number: int) -> str:
    # Distinct tokens per number so fuzzy matching does not collapse the entities together.
    syllables = ("ka", "lo", "mi", "ven", "dra", "qu", "sil", "tor", "bex", "nu")
    digits = f"{number:05d}"
    word = "".join(syllables[int(d)] for d in digits)
    return f"{word.title()} Industrial Trading Co Ltd"
