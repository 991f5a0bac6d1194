"""Orders (WROs, Findings, UFLPA Entity List entries, region-wide orders) and their lifecycle."""

from __future__ import annotations

from enum import StrEnum

from pydantic import AwareDatetime, Field, model_validator

from laborguard_contracts.base import SCHEMA_VERSION, Contract
from laborguard_contracts.types import (
    CountryCode,
    HtsPrefix,
    IsoDate,
    Mid,
    Name,
    OrderId,
    RegionCode,
    SchemaVersion,
    Text,
    Version,
)


class OrderKind(StrEnum):
    WRO = "wro"
    FINDING = "finding"
    ENTITY_LIST = "entity_list"
    REGION_ORDER = "region_order"


class LegalAction(StrEnum):
    DETAIN = "detain"
    SEIZE = "seize"


class TimelineEventKind(StrEnum):
    IN_FORCE = "in_force"  # the order takes effect
    MODIFIED = "modified"  # scope or listing edited; the order stays in force
    EXEMPTION_GRANTED = "exemption_granted"  # one party no longer covered, everyone else still is
    EXEMPTION_ENDED = "exemption_ended"
    REVOKED = "revoked"  # lifted, revoked, or modified to admit the goods


class TimelineEvent(Contract):
    kind: TimelineEventKind
    effective: IsoDate
    # For exemptions: the party (importer, manufacturer, seller...) the exemption names.
    party: Name | None = None
    # For a revocation: goods produced after this date are admissible, goods produced on or
    # before it stay covered (WRP Asia Pacific: revoked 2020-03-23 for gloves made after 03-16).
    produced_after: IsoDate | None = None
    note: Text = ""

    @model_validator(mode="after")
    def _party_only_on_exemptions(self) -> TimelineEvent:
        is_exemption = self.kind in (
            TimelineEventKind.EXEMPTION_GRANTED,
            TimelineEventKind.EXEMPTION_ENDED,
        )
        if is_exemption and not self.party:
            raise ValueError("an exemption event must name its party")
        if self.produced_after is not None and self.kind is not TimelineEventKind.REVOKED:
            raise ValueError("produced_after belongs on a revoked event only")
        return self


class CoveredEntity(Contract):
    name: Name
    aliases: tuple[Name, ...] = ()
    native_names: tuple[Name, ...] = ()
    mids: tuple[Mid, ...] = ()
    country: CountryCode | None = None
    region: RegionCode | None = None


class Order(Contract):
    schema_version: SchemaVersion = SCHEMA_VERSION
    order_id: OrderId
    version: Version
    kind: OrderKind
    title: Name
    merchandise_scope: Text = ""
    # HTS prefixes (digits) the scope maps to; None means any merchandise.
    hts_prefixes: tuple[HtsPrefix, ...] | None = None
    entities: tuple[CoveredEntity, ...] = ()
    region: RegionCode | None = None
    action: LegalAction = LegalAction.DETAIN
    timeline: tuple[TimelineEvent, ...] = Field(min_length=1)
    escalated_from: OrderId | None = None  # a Finding names the WRO it escalated
    section: str | None = Field(default=None, max_length=64)  # UFLPA Entity List section
    confidence: str | None = Field(default=None, max_length=16)
    source: Text = ""
    other_sources: tuple[Text, ...] = ()
    notes: Text = ""
    # Set by the registry when this version was committed; the screener measures apply latency.
    updated_at: AwareDatetime | None = None

    @model_validator(mode="after")
    def _has_scope_and_ordered_timeline(self) -> Order:
        if not self.entities and self.region is None:
            raise ValueError("an order needs covered entities or a covered region")
        if self.timeline[0].kind is not TimelineEventKind.IN_FORCE:
            raise ValueError("timeline must start with an in_force event")
        dates = [event.effective for event in self.timeline]
        if dates != sorted(dates):
            raise ValueError("timeline events must be in date order")
        return self
