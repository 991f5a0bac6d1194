"""The screener's verdict on one shipment event, with the evidence for every match.

Three outcomes: DETAIN (an order applies), RELEASE (none does) and REFER (an officer must look:
the event failed validation but named its shipment, or a name came within the review band below
the automatic threshold). Every field added after the first version is optional with a default,
so a reader of the first version's decisions reads these as well.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import AwareDatetime, Field

from laborguard_contracts.base import SCHEMA_VERSION, Contract
from laborguard_contracts.order import LegalAction, OrderKind
from laborguard_contracts.types import Identifier, SchemaVersion, Text


class Outcome(StrEnum):
    DETAIN = "DETAIN"
    RELEASE = "RELEASE"
    REFER = "REFER"  # hold for an officer: see `referral`


class ReferralReason(StrEnum):
    INVALID_EVENT = "invalid_event"  # the event failed the contract but names its shipment
    NEAR_MATCH = "near_match"  # a name within the review band below the automatic threshold


class MatchRule(StrEnum):
    EXACT_NAME = "exact_name"  # normalised name equals the listed name
    ALIAS = "alias"  # normalised name equals a listed alias or former name
    NATIVE_NAME = "native_name"  # native-script name equals a listed one
    MID = "mid"  # manufacturer identification code equals a listed MID
    FUZZY_NAME = "fuzzy_name"  # similar name at or above the threshold (score given)
    REGION_FIELD = "region_field"  # an explicit region field names the covered region
    POSTAL_CODE = "postal_code"  # postal-code prefix lies in the covered region
    PLACE_NAME = "place_name"  # a place name of the covered region in the address
    UPSTREAM_ORIGIN = "upstream_origin"  # an upstream input originates in the covered region
    UPSTREAM_PRODUCER = "upstream_producer"  # an upstream input's producer is a listed entity


class Evidence(Contract):
    line_number: int
    rule: MatchRule
    subject: str = Field(max_length=200)  # where in the event: "lines[2].manufacturer.name"
    observed: Text  # the value filed
    matched: Text  # the listed name, alias, MID or region signal it matched
    score: float | None = None  # fuzzy similarity 0..100, for fuzzy rules


class OrderMatch(Contract):
    order_id: Identifier
    order_version: int
    kind: OrderKind
    action: LegalAction
    evidence: tuple[Evidence, ...] = Field(min_length=1)


class ValidationIssue(Contract):
    """One way an event failed the ShipmentEvent contract."""

    field: str = Field(max_length=200)  # "lines.0.hts_code", or "(message)" for the whole
    reason: Text


class DecisionCause(Contract):
    """The order update that made a shipment already decided be decided again."""

    order_id: Identifier
    order_version: int
    committed_at: AwareDatetime | None = None  # the order's updated_at (registry commit)


class Decision(Contract):
    schema_version: SchemaVersion = SCHEMA_VERSION
    shipment_id: Identifier
    event_id: Identifier
    outcome: Outcome
    matches: tuple[OrderMatch, ...] = ()
    fuzzy_threshold: float
    order_state_version: str  # digest of the (order id, version) set decided against
    orders_in_state: int
    engine_version: str
    event_time: AwareDatetime
    as_of: AwareDatetime
    decided_at: AwareDatetime
    # Identity of this decision: the event and the order state it was decided against, so a
    # repeat of the same decision (redelivery, takeover) carries the same id.
    decision_id: str | None = Field(default=None, max_length=200)
    # REFER only: why, the validation errors of an invalid event, and the review threshold a
    # near match reached (its evidence and score are in `matches`).
    referral: ReferralReason | None = None
    validation_errors: tuple[ValidationIssue, ...] = ()
    review_threshold: float | None = None
    # A re-decision of an open shipment: the decision_id it replaces and the order update
    # that caused it (ongoing screening).
    supersedes: str | None = Field(default=None, max_length=200)
    cause: DecisionCause | None = None
