"""What in a shipment event an order can hit, with its path for the evidence.

Names: the importer of record and every party (for all lines), each line's manufacturer, and each
upstream input's producer. Region signals: where goods are made, so the manufacturer's address,
the supplier's and container-stuffing location's addresses, and each upstream input's origin and
producer's address; not where the seller, buyer or consignee sit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from laborguard_contracts import (
    MatchRule,
    Party,
    PartyRole,
    ShipmentEvent,
    ShipmentLine,
    UpstreamInput,
)
from laborguard_screener.engine.matching import NameHit
from laborguard_screener.engine.regions import RegionSignal, address_signals

# Roles whose address says where the goods were made or packed.
PRODUCTION_ROLES = frozenset({PartyRole.SUPPLIER, PartyRole.CONTAINER_STUFFING})


class Subject(NamedTuple):
    path: str  # "parties[2]", "lines[0].manufacturer", "lines[0].inputs[1].producer"
    party: Party
    input_hts: str | None = None  # set for an upstream input's producer
    upstream: bool = False


class LocatedSignal(NamedTuple):
    path: str  # the full path of the field that carried the signal
    signal: RegionSignal
    input_hts: str | None = None


Matcher = Callable[[Party], tuple[NameHit, ...]]


def shipment_hits(
    event: ShipmentEvent, match: Matcher
) -> list[tuple[Subject, tuple[NameHit, ...]]]:
    """The importer and the parties that match something (most match nothing)."""
    found = []
    hits = match(event.importer_of_record)
    if hits:
        found.append((Subject("importer_of_record", event.importer_of_record), hits))
    for i, party in enumerate(event.parties):
        hits = match(party)
        if hits:
            found.append((Subject(f"parties[{i}]", party), hits))
    return found


def line_hits(
    index: int, line: ShipmentLine, match: Matcher
) -> list[tuple[Subject, tuple[NameHit, ...]]]:
    """The line's manufacturer and upstream producers that match something."""
    found = []
    hits = match(line.manufacturer)
    if hits:
        found.append((Subject(f"lines[{index}].manufacturer", line.manufacturer), hits))
    for j, item in enumerate(line.inputs):
        if item.producer is not None and (hits := match(item.producer)):
            path = f"lines[{index}].inputs[{j}].producer"
            found.append((Subject(path, item.producer, item.hts_code, True), hits))
    return found


def shipment_signals(event: ShipmentEvent) -> list[LocatedSignal]:
    return [
        LocatedSignal(f"parties[{i}].{signal.field}", signal)
        for i, party in enumerate(event.parties)
        if party.role in PRODUCTION_ROLES
        for signal in address_signals(party.address)
    ]


def line_signals(index: int, line: ShipmentLine) -> list[LocatedSignal]:
    found = [
        LocatedSignal(f"lines[{index}].manufacturer.{signal.field}", signal)
        for signal in address_signals(line.manufacturer.address)
    ]
    for j, item in enumerate(line.inputs):
        found.extend(_input_signals(f"lines[{index}].inputs[{j}]", item))
    return found


def _input_signals(path: str, item: UpstreamInput) -> list[LocatedSignal]:
    found: list[LocatedSignal] = []
    if item.origin_region is not None:
        origin = RegionSignal(
            item.origin_region,
            MatchRule.UPSTREAM_ORIGIN,
            "origin_region",
            item.origin_region,
            item.origin_region,
        )
        found.append(LocatedSignal(f"{path}.origin_region", origin, item.hts_code))
    if item.producer is not None:
        found.extend(
            LocatedSignal(f"{path}.producer.{signal.field}", signal, item.hts_code)
            for signal in address_signals(item.producer.address)
        )
    return found
