"""The registry's use cases: check the caller, run the pure domain, store the outcome."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from laborguard_contracts import Order
from laborguard_registry import orders
from laborguard_registry.errors import InvalidChangeError
from laborguard_registry.imports import plan_import
from laborguard_registry.store import AuditEntry, Change, OrderStore
from laborguard_registry.tokens import Principal, Role
from laborguard_registry.views import (
    OrderHistory,
    OrderQuery,
    OrderState,
    OrderVersion,
    select_orders,
    state_at,
)


class ImportResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    created: tuple[str, ...]
    amended: tuple[str, ...]
    unchanged: int


@dataclass(frozen=True)
class Amendment:
    """One amendment of a bulk change."""

    order_id: str
    expected_version: int
    effective: date
    changes: Mapping[str, Any]
    note: str = ""


class RegistryService:
    def __init__(self, store: OrderStore) -> None:
        self._store = store

    def create(self, by: Principal, draft: Order, reason: str) -> Order:
        entry = _entry(by, "order_created", reason, {})
        with self._store.unit() as unit:
            return unit.insert(orders.create(draft), entry)

    # Each change to one order comes in two forms: `amend(...)` stores it (blocking), and
    # `amendment(...)` checks the caller and returns the Change for `await apply(change)`.
    def amend(
        self, by: Principal, order_id: str, expected_version: int, changes: Mapping[str, Any],
        effective: date, note: str, reason: str,
    ) -> Order:  # fmt: skip
        return self._store.change(
            self.amendment(by, order_id, expected_version, changes, effective, note, reason)
        )

    def revoke(
        self, by: Principal, order_id: str, expected_version: int, effective: date,
        produced_after: date | None, note: str, reason: str,
    ) -> Order:  # fmt: skip
        return self._store.change(
            self.revocation(by, order_id, expected_version, effective, produced_after, note, reason)
        )

    async def apply(self, change: Change) -> Order:
        """Store a change without blocking the event loop."""
        return await self._store.change_async(change)

    def amendment(
        self, by: Principal, order_id: str, expected_version: int, changes: Mapping[str, Any],
        effective: date, note: str, reason: str,
    ) -> Change:  # fmt: skip
        amendment = Amendment(order_id, expected_version, effective, changes, note)
        entry = _entry(by, "order_amended", reason, _amend_detail(amendment))
        return Change(order_id, _amending(amendment), entry)

    def revocation(
        self, by: Principal, order_id: str, expected_version: int, effective: date,
        produced_after: date | None, note: str, reason: str,
    ) -> Change:  # fmt: skip
        detail = {"effective": effective.isoformat(), "note": note}
        entry = _entry(by, "order_revoked", reason, detail)
        return Change(
            order_id,
            lambda order: orders.revoke(order, expected_version, effective, produced_after, note),
            entry,
        )

    def exemption_grant(
        self, by: Principal, order_id: str, expected_version: int, party: str, effective: date,
        note: str, reason: str,
    ) -> Change:  # fmt: skip
        detail = {"party": party, "effective": effective.isoformat(), "note": note}
        entry = _entry(by, "exemption_granted", reason, detail)
        return Change(
            order_id,
            lambda order: orders.grant_exemption(order, expected_version, party, effective, note),
            entry,
        )

    def exemption_end(
        self, by: Principal, order_id: str, expected_version: int, party: str, effective: date,
        note: str, reason: str,
    ) -> Change:  # fmt: skip
        detail = {"party": party, "effective": effective.isoformat(), "note": note}
        entry = _entry(by, "exemption_ended", reason, detail)
        return Change(
            order_id,
            lambda order: orders.end_exemption(order, expected_version, party, effective, note),
            entry,
        )

    def amend_many(
        self, by: Principal, amendments: Sequence[Amendment], reason: str
    ) -> list[Order]:
        """Many amendments in one transaction, each its own version, audit and outbox row.
        All or none: the first failing one names its position (`amendments.3.expected_version`)."""
        entry = _entry(by, "order_amended", reason, {})
        return self._store.change_many([
            Change(a.order_id, _amending(a), replace(entry, detail=_amend_detail(a)),
                   f"amendments.{position}")
            for position, a in enumerate(amendments)
        ])  # fmt: skip

    def escalate(
        self, by: Principal, order_id: str, expected_version: int, finding_id: str,
        effective: date, hts_prefixes: tuple[str, ...] | None, note: str, reason: str,
    ) -> tuple[Order, Order]:  # fmt: skip
        detail = {"finding_id": finding_id, "effective": effective.isoformat(), "note": note}
        entry = _entry(by, "order_escalated", reason, detail)
        with self._store.unit() as unit:
            wro, finding = orders.escalate(
                unit.current(order_id), expected_version, finding_id, effective, hts_prefixes, note
            )
            return unit.replace(wro, entry), unit.insert(finding, entry)

    def import_orders(
        self, by: Principal, incoming: Sequence[Order], source: str, reason: str
    ) -> ImportResult:
        entry = _entry(by, "order_imported", reason, {"source": source})
        with self._store.unit() as unit:
            plan = plan_import(unit.all_current(), incoming)
            for order in plan.created:
                unit.insert(order, entry)
            for order in plan.amended:
                unit.replace(order, entry)
        return ImportResult(
            created=tuple(o.order_id for o in plan.created),
            amended=tuple(o.order_id for o in plan.amended),
            unchanged=len(plan.unchanged),
        )

    def republish(self, by: Principal, reason: str) -> int:
        """Queue every current order again, to rebuild the topic from the database."""
        by.require(Role.ADMIN)
        entry = _entry(by, "republished", reason, {})
        with self._store.unit() as unit:
            current = unit.all_current()
            for order in sorted(current.values(), key=lambda o: o.order_id):
                unit.enqueue(order)
            unit.record(
                AuditEntry(entry.actor, entry.action, entry.reason, {"orders": len(current)})
            )
        return len(current)

    def get(self, order_id: str) -> OrderHistory:
        versions = self._store.history(order_id)
        return OrderHistory(
            current=versions[-1].order,
            versions=tuple(OrderVersion(version=v.order.version, committed_at=v.committed_at,
                                        order=v.order) for v in versions),
        )  # fmt: skip

    def find(self, query: OrderQuery) -> list[OrderState]:
        return select_orders(self._store.all_current().values(), query)

    def as_of(self, at: date, known_at: datetime | None = None) -> list[OrderState]:
        """Orders with their status on `at`; as recorded at `known_at` if given, else as now."""
        held = (
            self._store.all_current().values()
            if known_at is None
            else self._store.known_at(known_at)
        )
        return [state_at(order, at) for order in sorted(held, key=lambda o: o.order_id)]


def _amend_detail(amendment: Amendment) -> dict[str, Any]:
    return {
        "changes": sorted(amendment.changes),
        "effective": amendment.effective.isoformat(),
        "note": amendment.note,
    }


def _amending(amendment: Amendment) -> Callable[[Order], Order]:
    def decide(order: Order) -> Order:
        return orders.amend(
            order, amendment.changes, amendment.expected_version, amendment.effective,
            amendment.note,
        )  # fmt: skip

    return decide


def _entry(by: Principal, action: str, reason: str, detail: Mapping[str, Any]) -> AuditEntry:
    by.require(Role.OFFICER)
    if not reason.strip():
        raise InvalidChangeError("every write needs a reason", "reason")
    return AuditEntry(by.name, action, reason.strip(), detail)
