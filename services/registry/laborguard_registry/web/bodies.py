"""Request bodies. Every write carries a reason, recorded in the audit log; every change to an
order is a lifecycle body that names the domain command it stands for."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from laborguard_contracts import Order
from laborguard_contracts.types import HtsPrefix, IsoDate, Name, OrderId, Text, Version
from laborguard_registry import orders
from laborguard_registry.errors import InvalidChangeError
from laborguard_registry.store import audited_reason
from laborguard_registry.tokens import TOKEN_NAME_PATTERN, Role

MAX_BULK = 1000


def _visible_reason(reason: str) -> str:
    try:
        return audited_reason(reason)
    except InvalidChangeError as exc:
        raise ValueError(exc.message) from exc


Reason = Annotated[
    str,
    Field(min_length=1, max_length=2000, description="why: recorded in the audit log"),
    AfterValidator(_visible_reason),
]


class Write(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    reason: Reason


class VersionedWrite(Write):
    expected_version: Version = Field(description="the version the change was made against")
    effective: IsoDate
    note: Text = ""


class LifecycleBody(VersionedWrite):
    """A change of one order: `command()` is the domain command it asks for."""

    def command(self) -> orders.Command:
        raise NotImplementedError


class CreateOrder(Write):
    order: Order = Field(description="the order; its version is set to 1")


Changes = Annotated[
    dict[str, Any], Field(min_length=1, description="order fields and their new values")
]


class AmendOrder(LifecycleBody):
    """New version; scope fields also add a `modified` timeline event at `effective`."""

    changes: Changes

    def command(self) -> orders.Amend:
        return orders.Amend(**_common(self), changes=self.changes)


class RevokeOrder(LifecycleBody):
    """A `revoked` timeline event; goods produced after `produced_after` are admissible."""

    produced_after: IsoDate | None = None

    def command(self) -> orders.Revoke:
        return orders.Revoke(**_common(self), produced_after=self.produced_after)


class GrantExemption(LifecycleBody):
    """One party is no longer covered; everyone else still is."""

    party: Name

    def command(self) -> orders.GrantExemption:
        return orders.GrantExemption(**_common(self), party=self.party)


class EndExemption(LifecycleBody):
    """The party's exemption ends."""

    party: Name

    def command(self) -> orders.EndExemption:
        return orders.EndExemption(**_common(self), party=self.party)


class Amendment(BaseModel):
    """One amendment of a bulk request (the request carries the one reason)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    order_id: OrderId
    expected_version: Version = Field(description="the version the change was made against")
    effective: IsoDate
    changes: Changes
    note: Text = ""

    def command(self) -> orders.Amend:
        return orders.Amend(**_common(self), changes=self.changes)


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


class EscalateOrder(VersionedWrite):
    finding_id: OrderId
    hts_prefixes: tuple[HtsPrefix, ...] | None = None

    def command(self) -> orders.Escalate:
        prefixes = self.hts_prefixes
        return orders.Escalate(**_common(self), finding_id=self.finding_id, hts_prefixes=prefixes)


class IssueToken(Write):
    name: str = Field(min_length=1, max_length=128, pattern=TOKEN_NAME_PATTERN)
    role: Role
    expires_at: AwareDatetime | None = Field(
        None, description="the token is refused from this moment on; none: it never expires"
    )


class IssuedToken(BaseModel):
    name: str
    role: Role
    token: str = Field(description="shown once; only its SHA-256 digest is stored")
    expires_at: datetime | None = None


class Escalated(BaseModel):
    wro: Order
    finding: Order


class Republished(BaseModel):
    queued: int


def _common(body: VersionedWrite | Amendment) -> dict[str, Any]:
    return {
        "expected_version": body.expected_version,
        "effective": body.effective,
        "note": body.note,
    }
