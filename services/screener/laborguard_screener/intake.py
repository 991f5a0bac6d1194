"""From the bytes of one shipment record to a decision or a dead letter: never an exception."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from laborguard_contracts import ContractError, Decision, MalformedJsonError, ShipmentEvent
from laborguard_contracts.codec import decode, encode
from laborguard_screener.deadletter import DeadLetter, DeadLetterReason
from laborguard_screener.engine.orderbook import OrderBook
from laborguard_screener.engine.screening import ScreeningPolicy, screen


@dataclass(frozen=True, slots=True)
class Screened:
    decision: Decision
    value: bytes  # the encoded decision, ready to produce


def take_in(
    value: bytes | None, book: OrderBook, policy: ScreeningPolicy, decided_at: datetime
) -> Screened | DeadLetter:
    try:
        event = decode(ShipmentEvent, value if value is not None else b"")
    except ContractError as exc:
        return DeadLetter(_rejection_reason(exc), str(exc))
    except Exception as exc:  # e.g. a validator's own bug: still the input's fault, still counted
        return DeadLetter(DeadLetterReason.INVALID_CONTRACT, f"{type(exc).__name__}: {exc}")
    try:
        decision = screen(event, book, decided_at=decided_at, policy=policy)
        return Screened(decision, encode(decision))
    except Exception as exc:  # an engine defect must cost one event, not the stream
        return DeadLetter(DeadLetterReason.SCREENING_ERROR, f"{type(exc).__name__}: {exc}")


def _rejection_reason(exc: ContractError) -> DeadLetterReason:
    if isinstance(exc, MalformedJsonError):
        return DeadLetterReason.INVALID_JSON
    return DeadLetterReason.INVALID_CONTRACT
