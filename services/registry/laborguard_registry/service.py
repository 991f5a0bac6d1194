"""The registry's use cases: check the caller, run the pure domain, store the outcome."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from laborguard_contracts import Order
from laborguard_registry import orders
from laborguard_registry.errors import located
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
    # Always empty: an import never changes an existing order (kept for existing clients).
    amended: tuple[str, ...] = ()
    unchanged: int


class RegistryService:
    def __init__(self, store: OrderStore) -> None:
        self._store = store

    def create(self, by: Principal, draft: Order, reason: str) -> Order:
        entry = _entry(by, "order_created", reason, {})
        with located("order"):
            first = orders.create(draft)
        with self._store.unit() as unit:
            return unit.insert(first, entry)

    def change(self, by: Principal, order_id: str, command: orders.Command, reason: str) -> Change:
        """A lifecycle command on one order, checked (caller, reason), for `store`/`apply`."""
        return Change(
            order_id, command.decide, _entry(by, command.action, reason, command.detail())
        )

    def store(self, change: Change) -> Order:
        return self._store.change(change)

    async def apply(self, change: Change) -> Order:
        """Store a change without blocking the event loop."""
        return await self._store.change_async(change)

    def change_many(
        self, by: Principal, commands: Sequence[tuple[str, orders.Command]], reason: str
    ) -> list[Order]:
        """Many commands in one transaction, each its own version, audit and outbox row.
        All or none: the first failing one names its position (`amendments.3.expected_version`)."""
        changes = [self.change(by, order_id, command, reason) for order_id, command in commands]
        labelled = [replace(c, label=f"amendments.{n}") for n, c in enumerate(changes)]
        return self._store.change_many(labelled)

    def escalate(
        self, by: Principal, order_id: str, command: orders.Escalate, reason: str
    ) -> tuple[Order, Order]:
        entry = _entry(by, command.action, reason, command.detail())
        with self._store.unit() as unit:
            wro, finding = command.decide(unit.current(order_id))
            return unit.replace(wro, entry), unit.insert(finding, entry)

    def import_orders(
        self, by: Principal, incoming: Sequence[Order], source: str, reason: str
    ) -> ImportResult:
        entry = _entry(by, "order_imported", reason, {"source": source})
        with self._store.unit() as unit:
            plan = plan_import(unit.all_current(), incoming)
            for order in plan.created:
                unit.insert(order, entry)
        return ImportResult(
            created=tuple(o.order_id for o in plan.created), unchanged=len(plan.unchanged)
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
        versions = [
            OrderVersion(version=v.order.version, committed_at=v.committed_at, order=v.order)
            for v in self._store.history(order_id)
        ]
        return OrderHistory(current=versions[-1].order, versions=tuple(versions))

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


def _entry(by: Principal, action: str, reason: str, detail: Mapping[str, Any]) -> AuditEntry:
    by.require(Role.OFFICER)
    return AuditEntry(by.name, action, reason, detail)
