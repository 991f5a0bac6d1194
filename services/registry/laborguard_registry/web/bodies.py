"""Request bodies. Every write carries a reason, recorded in the audit log."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from laborguard_contracts import Order
from laborguard_registry.tokens import Role

MAX_BULK = 1000
Reason = Field(min_length=1, max_length=2000, description="why: recorded in the audit log")


class Write(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    reason: str = Reason


class VersionedWrite(Write):
    expected_version: int = Field(ge=1, description="the version the change was made against")
    effective: date
    note: str = Field("", max_length=4000)


class CreateOrder(Write):
    order: Order = Field(description="the order; its version is set to 1")


class AmendOrder(VersionedWrite):
    changes: dict[str, Any] = Field(min_length=1, description="order fields and their new values")


class Amendment(BaseModel):
    """One amendment of a bulk request (the request carries the one reason)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    order_id: str = Field(min_length=1, max_length=128)
    expected_version: int = Field(ge=1, description="the version the change was made against")
    effective: date
    changes: dict[str, Any] = Field(min_length=1, description="order fields and their new values")
    note: str = Field("", max_length=4000)


class AmendOrders(Write):
    amendments: tuple[Amendment, ...] = Field(
        min_length=1,
        max_length=MAX_BULK,
        description="applied in this order in ONE transaction: all or none; an order may appear "
        "more than once with consecutive versions",
    )


class Amended(BaseModel):
    order_id: str
    version: int


class RevokeOrder(VersionedWrite):
    produced_after: date | None = None


class PartyExemption(VersionedWrite):
    party: str = Field(min_length=1, max_length=512)


class EscalateOrder(VersionedWrite):
    finding_id: str = Field(min_length=1, max_length=128)
    hts_prefixes: tuple[str, ...] | None = None


class IssueToken(Write):
    name: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.@-]+$")
    role: Role


class IssuedToken(BaseModel):
    name: str
    role: Role
    token: str = Field(description="shown once; only its SHA-256 digest is stored")


class Escalated(BaseModel):
    wro: Order
    finding: Order


class Republished(BaseModel):
    queued: int
