"""From the bytes of one shipment record to a decision or a dead letter: never an exception."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from laborguard_contracts import ContractError, Decision, MalformedJsonError, ShipmentEvent
from laborguard_contracts.codec import decode, encode
from laborguard_screener.deadletter import DeadLetter, DeadLetterReason, SourceRecord
from laborguard_screener.engine.orderbook import OrderBook
from laborguard_screener.engine.screening import ScreeningPolicy, Trace, screen
from laborguard_screener.referral import refer_invalid


@dataclass(frozen=True, slots=True)
class Screened:
    decision: Decision
    value: bytes  # the encoded decision, ready to produce
    event: ShipmentEvent | None = None  # the event decided (open-shipment tracking needs it)
    trace: Trace | None = None  # what screening looked at, when the caller asked


def take_in(
    value: bytes | None,
    book: OrderBook,
    policy: ScreeningPolicy,
    decided_at: datetime,
    *,
    key: bytes | None = None,
    source: SourceRecord | None = None,
    trace: Trace | None = None,
) -> Screened | DeadLetter:
    """`source` (where the record was read) turns on referrals: an invalid event that names its
    shipment (its `shipment_id` field, else `key`) gets a REFER decision with its dead letter."""
    try:
        event = decode(ShipmentEvent, value if value is not None else b"")
    except ContractError as exc:
        return _rejected(_rejection_reason(exc), exc, value, key, book, policy, decided_at, source)
    except Exception as exc:  # e.g. a validator's own bug: still the input's fault, still counted
        error = ContractError("(message)", f"{type(exc).__name__}: {exc}")
        reason = DeadLetterReason.INVALID_CONTRACT
        return _rejected(reason, error, value, key, book, policy, decided_at, source)
    try:
        decision = screen(event, book, decided_at=decided_at, policy=policy, trace=trace)
        return Screened(decision, encode(decision), event, trace)
    except Exception as exc:  # an engine defect must cost one event, not the stream
        return DeadLetter(DeadLetterReason.SCREENING_ERROR, f"{type(exc).__name__}: {exc}")


def _rejected(
    reason: DeadLetterReason,
    error: ContractError,
    value: bytes | None,
    key: bytes | None,
    book: OrderBook,
    policy: ScreeningPolicy,
    decided_at: datetime,
    source: SourceRecord | None,
) -> DeadLetter:
    if source is None:
        return DeadLetter(reason, str(error))
    source_id = f"{source.topic}/{source.partition}@{source.offset}"
    try:
        referral = refer_invalid(
            value, key, error, book, policy, decided_at, fallback_event_id=source_id
        )
    except Exception:  # a referral must never cost the dead letter
        referral = None
    if referral is None:
        return DeadLetter(reason, str(error))
    return DeadLetter(reason, str(error), referral, encode(referral))


def _rejection_reason(exc: ContractError) -> DeadLetterReason:
    if isinstance(exc, MalformedJsonError):
        return DeadLetterReason.INVALID_JSON
    return DeadLetterReason.INVALID_CONTRACT
