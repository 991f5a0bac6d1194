"""Renders a shipment plan into the events port systems file: ISF, cargo release, entry summary."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from random import Random
from typing import Any
from zoneinfo import ZoneInfo

from laborguard_contracts import ShipmentEventType
from laborguard_replay.generator.calendar import working_hours
from laborguard_replay.generator.identifiers import entry_number, mid
from laborguard_replay.generator.makers import Maker, file_address, pool
from laborguard_replay.generator.names import US_PLACES, US_STREETS, us_company
from laborguard_replay.generator.shipments import Line, Plan

FORWARDERS = (
    "Expeditors International",
    "Kuehne + Nagel",
    "DHL Global Forwarding",
    "Flexport",
    "CEVA Logistics",
    "OEC Group",
    "Apex Logistics International",
    "Damco",
)
# Where goods are stuffed into containers (ports of lading), by country of the manufacturer.
LADING_PORTS = {
    "CN": ("Shanghai", "Ningbo", "Shenzhen", "Qingdao", "Xiamen", "Tianjin", "Guangzhou"),
    "VN": ("Ho Chi Minh City", "Hai Phong"),
    "BD": ("Chattogram",),
    "IN": ("Nhava Sheva", "Chennai", "Mundra"),
    "PK": ("Karachi",),
    "KH": ("Sihanoukville",),
    "ID": ("Jakarta",),
    "MY": ("Port Klang", "Penang"),
    "TH": ("Laem Chabang",),
    "TW": ("Kaohsiung",),
    "KR": ("Busan",),
    "JP": ("Yokohama", "Kobe"),
    "IT": ("Genoa", "Naples"),
    "ES": ("Valencia",),
    "TR": ("Mersin", "Izmir"),
    "DE": ("Hamburg", "Bremerhaven"),
}
ISF_SHARE = 0.8  # ocean shipments file an ISF before lading
SUMMARY_SHARE = 0.3  # entry summaries that land inside the replayed feed

Document = dict[str, Any]


@cache
def importers(seed: int, size: int = 400) -> tuple[Document, ...]:
    rng = Random(f"{seed}/importers")
    parties = []
    for _ in range(size):
        city, state, zip3 = rng.choice(US_PLACES)
        address = {
            "street": f"{rng.randint(100, 9999)} {rng.choice(US_STREETS)}",
            "city": city,
            "province": state,
            "postal_code": f"{zip3}{rng.randint(0, 99):02d}",
            "country": "US",
        }
        parties.append({"name": us_company(rng), "address": address})
    return tuple(parties)


@cache
def filer_codes(seed: int, size: int = 60) -> tuple[tuple[str, int], ...]:
    """Customs brokers' 3-character filer codes, each with the base of its serial range."""
    rng = Random(f"{seed}/filers")
    alphabet = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    return tuple(
        ("".join(rng.choice(alphabet) for _ in range(3)), rng.randrange(10**7)) for _ in range(size)
    )


def _party(rng: Random, maker: Maker, on: datetime, with_mid: bool) -> Document:
    address = file_address(rng, maker, on.date())
    party: Document = {
        "name": maker.name,
        "address": {k: v for k, v in address.fields() if v is not None},
    }
    if with_mid:
        party["mid"] = mid(maker.name, maker.street, maker.city.name, maker.country)
    return party


def _line(rng: Random, number: int, line: Line, kind: ShipmentEventType, on: datetime) -> Document:
    full = kind is not ShipmentEventType.ISF_FILED
    hts = line.product.hts if full else line.product.hts[:7]
    doc: Document = {
        "line_number": number,
        "hts_code": hts,
        "description": line.product.description,
        "country_of_origin": line.country,
        "value_usd": str(line.value),
        "manufacturer": _party(rng, line.maker, on, with_mid=full),
    }
    if full:
        doc |= {"quantity": str(line.quantity), "unit": line.product.unit}
    if kind is ShipmentEventType.ENTRY_SUMMARY_FILED:
        doc["production_date"] = line.production_date.isoformat()
    inputs = []
    for item in line.inputs:
        upstream: Document = {
            "material": item.material,
            "hts_code": item.hts,
            "origin_country": item.origin_country,
        }
        if item.origin_region:
            upstream["origin_region"] = item.origin_region
        if item.producer:
            upstream["producer"] = _party(rng, item.producer, on, with_mid=False)
        inputs.append(upstream)
    if inputs:
        doc["inputs"] = inputs
    return doc


def _parties(
    rng: Random, seed: int, plan: Plan, importer: Document, kind: ShipmentEventType
) -> list[Document]:
    maker = plan.lines[0].maker
    seller = maker if rng.random() < 0.6 else rng.choice(pool(seed, "HK", "Trading"))
    parties = [
        {"role": "seller", **_party(rng, seller, plan.entry_at, with_mid=False)},
        {"role": "buyer", **importer},
    ]
    if kind is ShipmentEventType.ISF_FILED:
        parties += [
            {"role": "ship_to", **importer},
            {"role": "consignee", **importer},
            {"role": "consolidator", "name": rng.choice(FORWARDERS)},
            _stuffing(rng, maker.country),
        ]
    return parties


def _stuffing(rng: Random, country: str) -> Document:
    """The container stuffing location: a freight station at a port of lading."""
    city = rng.choice(LADING_PORTS.get(country, ("",))) or None
    address = {"city": city, "country": country} if city else {"country": country}
    return {
        "role": "container_stuffing",
        "name": f"{city or country} Container Freight Station",
        "address": address,
    }


def render(rng: Random, seed: int, plan: Plan) -> list[Document]:
    """The plan's events (unvalidated documents) in filing order."""
    importer = rng.choice(importers(seed))
    filer, base = filer_codes(seed)[plan.index % 60]
    shipment_id = entry_number(filer, (base + plan.index) % 10**7)
    zone = ZoneInfo(plan.port.tz)
    timeline = [(ShipmentEventType.ENTRY_FILED, plan.entry_at)]
    if rng.random() < ISF_SHARE:
        lead = timedelta(days=rng.uniform(10, 35))
        timeline.insert(0, (ShipmentEventType.ISF_FILED, plan.entry_at - lead))
    if rng.random() < SUMMARY_SHARE:
        lag = timedelta(days=rng.uniform(1, 10))
        timeline.append((ShipmentEventType.ENTRY_SUMMARY_FILED, plan.entry_at + lag))
    events = []
    for kind, at in timeline:
        local = working_hours(at.astimezone(zone)).replace(microsecond=0)
        events.append(
            {
                "event_id": f"{shipment_id}-{kind.value}",
                "shipment_id": shipment_id,
                "event_type": kind.value,
                "event_time": local.isoformat(),
                "port_code": plan.port.code,
                "importer_of_record": importer,
                "parties": _parties(rng, seed, plan, importer, kind),
                "lines": [_line(rng, n, line, kind, at) for n, line in enumerate(plan.lines, 1)],
            }
        )
    return events
