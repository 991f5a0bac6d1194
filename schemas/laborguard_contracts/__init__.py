"""Wire contracts: one frozen pydantic model per message, shared by producers and consumers."""

from laborguard_contracts.decision import (
    Decision,
    DecisionCause,
    Evidence,
    MatchRule,
    OrderMatch,
    Outcome,
    ReferralReason,
    ValidationIssue,
)
from laborguard_contracts.errors import ContractError, MalformedJsonError
from laborguard_contracts.order import (
    CoveredEntity,
    LegalAction,
    Order,
    OrderKind,
    TimelineEvent,
    TimelineEventKind,
)
from laborguard_contracts.shipment import (
    Address,
    Party,
    PartyRole,
    RoledParty,
    ShipmentEvent,
    ShipmentEventType,
    ShipmentLine,
    UpstreamInput,
)

__all__ = [
    "Address",
    "ContractError",
    "CoveredEntity",
    "Decision",
    "DecisionCause",
    "Evidence",
    "LegalAction",
    "MalformedJsonError",
    "MatchRule",
    "Order",
    "OrderKind",
    "OrderMatch",
    "Outcome",
    "Party",
    "PartyRole",
    "ReferralReason",
    "RoledParty",
    "ShipmentEvent",
    "ShipmentEventType",
    "ShipmentLine",
    "TimelineEvent",
    "TimelineEventKind",
    "UpstreamInput",
    "ValidationIssue",
]
