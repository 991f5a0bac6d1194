"""From Kafka records to rows (pure): decisions and shipment events, or a reject with a reason.

A decision is read as an open document, not through the `Decision` model: outcomes and fields
added to the contract later (REFER, `supersedes`) must be stored, not rejected. Only what the
indexes need is required.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from laborguard_contracts.codec import loads


@dataclass(frozen=True)
class Source:
    topic: str
    partition: int
    offset: int

    def __str__(self) -> str:
        return f"{self.topic}/{self.partition}/{self.offset}"


@dataclass(frozen=True)
class MatchedOrder:
    order_id: str
    order_version: int


@dataclass(frozen=True)
class DecisionRow:
    decision_key: str
    shipment_id: str
    event_id: str
    outcome: str
    decided_at: datetime
    event_time: datetime | None
    supersedes: str | None
    orders: tuple[MatchedOrder, ...]
    document: bytes
    source: Source


@dataclass(frozen=True)
class ShipmentRow:
    event_id: str
    shipment_id: str
    importer: str
    event_time: datetime | None
    document: bytes


@dataclass(frozen=True)
class Reject:
    source: Source
    reason: str
    payload: bytes | None


@dataclass
class Batch:
    """What one fetched batch becomes, and the next offset of every partition it touched."""

    decisions: list[DecisionRow] = field(default_factory=list)
    shipments: list[ShipmentRow] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    next_offsets: dict[tuple[str, int], int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.decisions) + len(self.shipments) + len(self.rejects)


class RecordError(ValueError):
    """A record the store cannot index; it is kept in `store_rejects` with this reason."""


def decision_key(document: dict[str, Any]) -> str:
    """The identity of a decision: the same event decided against the same order state (and
    superseding the same decision) is the same decision, however often it is delivered."""
    parts = (
        document["shipment_id"],
        document["event_id"],
        document.get("order_state_version", ""),
        document.get("supersedes") or "",
    )
    return hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()


def read_decision(value: bytes | None, source: Source) -> DecisionRow:
    document = _object(value)
    try:
        orders = tuple(
            MatchedOrder(str(m["order_id"]), int(m["order_version"]))
            for m in document.get("matches") or ()
        )
        return DecisionRow(
            decision_key=decision_key(document),
            shipment_id=_text(document, "shipment_id", 128),
            event_id=_text(document, "event_id", 128),
            outcome=_text(document, "outcome", 32),
            decided_at=_time(document, "decided_at"),
            event_time=_time(document, "event_time") if document.get("event_time") else None,
            supersedes=_optional_text(document, "supersedes"),
            orders=tuple({m.order_id: m for m in orders}.values()),
            document=value or b"",
            source=source,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise RecordError(f"decision: {_reason(exc)}") from exc


def read_shipment(value: bytes | None, source: Source) -> ShipmentRow:
    document = _object(value)
    try:
        importer = document["importer_of_record"]["name"]
        return ShipmentRow(
            event_id=_text(document, "event_id", 128),
            shipment_id=_text(document, "shipment_id", 128),
            importer=str(importer)[:512],
            event_time=_time(document, "event_time") if document.get("event_time") else None,
            document=value or b"",
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise RecordError(f"shipment event: {_reason(exc)}") from exc


def _object(value: bytes | None) -> dict[str, Any]:
    if not value:
        raise RecordError("empty record")
    try:
        document = loads(value)
    except ValueError as exc:
        raise RecordError(f"not valid JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise RecordError("expected a JSON object")
    return document


def _text(document: dict[str, Any], name: str, limit: int) -> str:
    value = document[name]
    if not isinstance(value, str) or not value or len(value) > limit:
        raise ValueError(f"{name} must be a non-empty string of at most {limit} characters")
    return value


def _optional_text(document: dict[str, Any], name: str) -> str | None:
    return _text(document, name, 128) if document.get(name) is not None else None


def _time(document: dict[str, Any], name: str) -> datetime:
    value = datetime.fromisoformat(str(document[name]))
    if value.tzinfo is None:
        raise ValueError(f"{name} needs a UTC offset")
    return value


def _reason(exc: Exception) -> str:
    return f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
