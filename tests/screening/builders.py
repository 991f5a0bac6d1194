"""Builders for shipment events and orders in screening tests: only the fields a case is about."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from laborguard_contracts import Order, ShipmentEvent

DECIDED_AT = datetime(2026, 1, 1, tzinfo=UTC)


def shipment(
    manufacturer: dict[str, Any] | str = "Acme Widget Factory",
    *,
    hts: str = "6109100012",
    when: str = "2024-03-01T10:00:00+00:00",
    importer: str = "Harbor Retail Imports LLC",
    parties: tuple[dict[str, Any], ...] = (),
    production_date: str | None = None,
    inputs: tuple[dict[str, Any], ...] = (),
    country: str = "CN",
) -> ShipmentEvent:
    maker = {"name": manufacturer} if isinstance(manufacturer, str) else manufacturer
    line: dict[str, Any] = {
        "line_number": 1,
        "hts_code": hts,
        "country_of_origin": country,
        "value_usd": "1000.00",
        "manufacturer": maker,
        "inputs": list(inputs),
    }
    if production_date:
        line["production_date"] = production_date
    return ShipmentEvent.model_validate(
        {
            "event_id": "evt-1",
            "shipment_id": "SHP-1",
            "event_type": "entry_filed",
            "event_time": when,
            "port_code": "2704",
            "importer_of_record": {"name": importer},
            "parties": list(parties),
            "lines": [line],
        }
    )


def order(
    order_id: str = "wro-test",
    *,
    version: int = 1,
    kind: str = "wro",
    entities: tuple[dict[str, Any], ...] = ({"name": "Listed Example Widget Co., Ltd."},),
    timeline: tuple[dict[str, Any], ...] = ({"kind": "in_force", "effective": "2020-01-01"},),
    hts_prefixes: tuple[str, ...] | None = None,
    region: str | None = None,
) -> Order:
    return Order.model_validate(
        {
            "order_id": order_id,
            "version": version,
            "kind": kind,
            "title": order_id,
            "entities": list(entities),
            "timeline": list(timeline),
            "hts_prefixes": hts_prefixes,
            "region": region,
        }
    )
