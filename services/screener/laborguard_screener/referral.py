"""An event that fails the contract but names its shipment: a REFER decision, not silence.

The port system must hear about every shipment it filed. When the bytes fail validation but the
shipment can still be identified (a usable `shipment_id` in otherwise-bad JSON, or the record
key), the safe answer is to hold the shipment for an officer, listing what was wrong. Bytes with
no shipment identity stay dead letters only. Pure: the caller passes the time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import TypeAdapter, ValidationError

from laborguard_contracts import (
    ContractError,
    Decision,
    Outcome,
    ReferralReason,
    ValidationIssue,
)
from laborguard_contracts.codec import loads
from laborguard_contracts.types import Identifier
from laborguard_screener.engine.orderbook import OrderBook
from laborguard_screener.engine.screening import ENGINE_VERSION, ScreeningPolicy, decision_id

_IDENTIFIER: TypeAdapter[str] = TypeAdapter(Identifier)
_WHEN: TypeAdapter[datetime] = TypeAdapter(datetime)
_MAX_ISSUES = 50  # a referral lists what an officer can read, not every error of a huge event


def refer_invalid(
    value: bytes | None,
    key: bytes | None,
    error: ContractError,
    book: OrderBook,
    policy: ScreeningPolicy,
    decided_at: datetime,
    *,
    fallback_event_id: str,
) -> Decision | None:
    """REFER for an invalid event that names its shipment; None when nothing identifies it.

    `fallback_event_id` names the event when its own `event_id` is unusable (the edge passes
    the source record, topic/partition/offset, so a redelivery gets the same id)."""
    document = _document(value)
    shipment_id = _identifier(document.get("shipment_id")) or _key_identifier(key)
    if shipment_id is None:
        return None
    event_id = _identifier(document.get("event_id")) or fallback_event_id
    event_time = _aware_time(document.get("event_time")) or decided_at
    return Decision(
        shipment_id=shipment_id,
        event_id=event_id,
        outcome=Outcome.REFER,
        fuzzy_threshold=policy.fuzzy_threshold,
        order_state_version=book.version,
        orders_in_state=len(book),
        engine_version=ENGINE_VERSION,
        event_time=event_time,
        as_of=event_time,
        decided_at=decided_at,
        decision_id=decision_id(event_id, book.version),
        referral=ReferralReason.INVALID_EVENT,
        validation_errors=tuple(
            ValidationIssue(field=field[:200], reason=reason[:4000])
            for field, reason in error.issues[:_MAX_ISSUES]
        ),
    )


def _document(value: bytes | None) -> dict[str, Any]:
    if not value:
        return {}
    try:
        document = loads(value)
    except Exception:  # not JSON at all: only the record key can name the shipment
        return {}
    return document if isinstance(document, dict) else {}


def _identifier(candidate: object) -> str | None:
    if not isinstance(candidate, str):
        return None
    try:
        return _IDENTIFIER.validate_python(candidate.strip()) or None
    except ValidationError:
        return None


def _key_identifier(key: bytes | None) -> str | None:
    if not key:
        return None
    try:
        text = key.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return _identifier(text) if text.isprintable() else None


def _aware_time(candidate: object) -> datetime | None:
    if not isinstance(candidate, str):
        return None
    try:
        when = _WHEN.validate_python(candidate)
    except ValidationError:
        return None
    return when if when.tzinfo is not None else None
