"""Shipment events as port systems file them (ISF 10+2, CBP 3461 cargo release, CBP 7501 entry)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, Field, model_validator

from laborguard_contracts.base import SCHEMA_VERSION, Contract
from laborguard_contracts.regions import region_code
from laborguard_contracts.types import (
    CountryCode,
    HtsCode,
    Identifier,
    Mid,
    Name,
    PortCode,
    RegionCode,
    RegionText,
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
    # The region as filed ("CN-XJ", "Xinjiang", "XUAR", "新疆"...), and beside it the ISO 3166-2
    # code it names, set on parsing when recognised (None: an unknown region, still screened).
    region: RegionText | None = None
    region_code: RegionCode | None = None

    @model_validator(mode="before")
    @classmethod
    def _recognise_region(cls, data: Any) -> Any:
        return _with_region_code(data, "region", "region_code", "country")


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
    origin_region: RegionText | None = None  # as filed; its ISO 3166-2 code beside it
    origin_region_code: RegionCode | None = None
    producer: Party | None = None

    @model_validator(mode="before")
    @classmethod
    def _recognise_region(cls, data: Any) -> Any:
        return _with_region_code(data, "origin_region", "origin_region_code", "origin_country")


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


def _with_region_code(data: Any, field: str, code_field: str, country_field: str) -> Any:
    """The filed region kept, a blank one dropped, and its code recognised beside it (a code
    the filer states stays when the text names none we know)."""
    if not isinstance(data, dict) or field not in data:
        return data
    filed = data[field]
    if not isinstance(filed, str):
        return data  # None, or a wrong type the field's own validation names
    data = dict(data)
    if not filed.strip():
        data[field] = None
        return data
    country = data.get(country_field)
    code = region_code(filed, country if isinstance(country, str) else None)
    if code is not None or data.get(code_field) is None:
        data[code_field] = code
    return data
