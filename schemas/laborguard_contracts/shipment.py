"""Shipment events as port systems file them (ISF 10+2, CBP 3461 cargo release, CBP 7501 entry)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import AwareDatetime, Field

from laborguard_contracts.base import SCHEMA_VERSION, Contract
from laborguard_contracts.types import (
    CountryCode,
    HtsCode,
    Identifier,
    Mid,
    Name,
    PortCode,
    RegionCode,
    SchemaVersion,
    Text,
)


class ShipmentEventType(StrEnum):
    ISF_FILED = "isf_filed"
    MANIFEST_FILED = "manifest_filed"
    ENTRY_FILED = "entry_filed"
    ARRIVED = "arrived"
    ENTRY_SUMMARY_FILED = "entry_summary_filed"


class PartyRole(StrEnum):
    SELLER = "seller"
    BUYER = "buyer"
    SHIP_TO = "ship_to"
    CONSIGNEE = "consignee"
    CONSOLIDATOR = "consolidator"
    CONTAINER_STUFFING = "container_stuffing"
    SUPPLIER = "supplier"


class Address(Contract):
    street: Text | None = None
    city: Name | None = None
    province: Name | None = None
    postal_code: str | None = Field(default=None, max_length=16)
    country: CountryCode | None = None
    # An explicit ISO 3166-2 region where the filer states one (e.g. CN-XJ).
    region: RegionCode | None = None


class Party(Contract):
    name: Name
    native_name: Name | None = None
    mid: Mid | None = None
    address: Address | None = None


class RoledParty(Party):
    role: PartyRole


class UpstreamInput(Contract):
    """An input the line's goods were made from, so 'wholly or in part' can be traced upstream."""

    material: Name
    hts_code: HtsCode | None = None
    origin_country: CountryCode | None = None
    origin_region: RegionCode | None = None
    producer: Party | None = None


class ShipmentLine(Contract):
    line_number: int = Field(ge=1, le=9999)
    hts_code: HtsCode
    description: Text = ""
    country_of_origin: CountryCode
    value_usd: Decimal = Field(ge=0, max_digits=16, decimal_places=2)
    quantity: Decimal | None = Field(default=None, ge=0)
    unit: str | None = Field(default=None, max_length=16)
    manufacturer: Party
    production_date: date | None = None
    inputs: tuple[UpstreamInput, ...] = ()


class ShipmentEvent(Contract):
    schema_version: SchemaVersion = SCHEMA_VERSION
    event_id: Identifier  # idempotency key: a redelivered event carries the same id
    shipment_id: Identifier  # entry number or bill of lading; the Kafka key
    event_type: ShipmentEventType
    event_time: AwareDatetime
    port_code: PortCode
    importer_of_record: Party
    parties: tuple[RoledParty, ...] = ()
    lines: tuple[ShipmentLine, ...] = Field(min_length=1, max_length=999)
