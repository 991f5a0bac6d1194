"""A fleet of open shipments and a new order that covers a known few of them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from laborguard_contracts import (
    CoveredEntity,
    Order,
    OrderKind,
    ShipmentEvent,
    TimelineEvent,
    TimelineEventKind,
)
from testbed.factory import shipment, synthetic_name

LISTED = "Korvanti Spinning Mill Co., Ltd."
# How the covered shipments file the listed company: as listed, other legal forms, one typo.
SPELLINGS = (
    LISTED,
    "KORVANTI SPINNING MILL CO LTD",
    "Korvanti Spinning Mill Company Limited",
    "Korvanty Spinning Mill Co., Ltd.",
)
# Near the listed name but another company: never detained, never superseded.
NEAR_MISSES = ("Korvanti Garment Dyeing Co., Ltd.", "Spinning Mill Trading Co., Ltd.")


def fleet(count: int, covered: int, first: int = 0) -> tuple[list[ShipmentEvent], set[str]]:
    """`count` open shipments, `covered` of them made by the listed company; their ids."""
    stride = count // covered
    events, hit = [], set()
    for i in range(count):
        number = first + i
        if i % stride == 0 and len(hit) < covered:
            maker = SPELLINGS[len(hit) % len(SPELLINGS)]
            hit.add(f"shp-{number}")
        elif i % 97 == 1:
            maker = NEAR_MISSES[i % 2]
        else:
            maker = synthetic_name(i)
        events.append(shipment(number, manufacturer=maker, country="CN"))
    return events, hit


def wro(
    version: int = 1,
    committed_at: datetime | None = None,
    revoked: date | None = None,
    in_force: date = date(2024, 1, 1),
) -> Order:
    timeline = [TimelineEvent(kind=TimelineEventKind.IN_FORCE, effective=in_force)]
    if revoked is not None:
        timeline.append(TimelineEvent(kind=TimelineEventKind.REVOKED, effective=revoked))
    return Order(
        order_id="wro-korvanti",
        version=version,
        kind=OrderKind.WRO,
        title="WRO: Korvanti Spinning Mill (cotton yarn)",
        hts_prefixes=("52", "61", "62"),
        entities=(CoveredEntity(name=LISTED, country="CN"),),
        timeline=tuple(timeline),
        updated_at=committed_at or datetime.now(UTC),
    )
