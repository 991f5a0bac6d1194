"""What in a shipment event an order can hit, with its path for the evidence.

Names: the importer of record and every party (for all lines), each line's manufacturer, and each
upstream input's producer. Region signals: where goods are made, so the manufacturer's address,
the supplier's and container-stuffing location's addresses, and each upstream input's origin and
producer's address; not where the seller, buyer or consignee sit.
"""

from __future__ import annotations

from dataclasses import dataclass

from laborguard_contracts import (
    MatchRule,
    Party,
    PartyRole,
    ShipmentEvent,
    ShipmentLine,
    UpstreamInput,
)
from laborguard_screener.regions import RegionSignal, address_signals

# Roles whose address says where the goods were made or packed.
PRODUCTION_ROLES = frozenset({PartyRole.SUPPLIER, PartyRole.CONTAINER_STUFFING})


@dataclass(frozen=True, slots=True)
class Subject:
    path: str  # "parties[2]", "lines[0].manufacturer", "lines[0].inputs[1].producer"
    party: Party
    input_hts: str | None = None  # set for an upstream input's producer
    upstream: bool = False


@dataclass(frozen=True, slots=True)
class LocatedSignal:
    path: str  # the full path of the field that carried the signal
    signal: RegionSignal
    input_hts: str | None = None


def shipment_subjects(event: ShipmentEvent) -> tuple[Subject, ...]:
    importer = Subject("importer_of_record", event.importer_of_record)
    parties = (Subject(f"parties[{i}]", party) for i, party in enumerate(event.parties))
    return (importer, *parties)


def line_subjects(index: int, line: ShipmentLine) -> tuple[Subject, ...]:
    manufacturer = Subject(f"lines[{index}].manufacturer", line.manufacturer)
    producers = (
        Subject(f"lines[{index}].inputs[{j}].producer", item.producer, item.hts_code, True)
        for j, item in enumerate(line.inputs)
        if item.producer is not None
    )
    return (manufacturer, *producers)


def shipment_signals(event: ShipmentEvent) -> tuple[LocatedSignal, ...]:
    return tuple(
        LocatedSignal(f"parties[{i}].{signal.field}", signal)
        for i, party in enumerate(event.parties)
        if party.role in PRODUCTION_ROLES
        for signal in address_signals(party.address)
    )


def line_signals(index: int, line: ShipmentLine) -> tuple[LocatedSignal, ...]:
    prefix = f"lines[{index}]"
    found = [
        LocatedSignal(f"{prefix}.manufacturer.{signal.field}", signal)
        for signal in address_signals(line.manufacturer.address)
    ]
    for j, item in enumerate(line.inputs):
        found.extend(_input_signals(f"{prefix}.inputs[{j}]", item))
    return tuple(found)


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
