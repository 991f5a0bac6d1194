"""Versioned order storage. A unit of work writes the order, its version row, its audit row and
its outbox row in one transaction; nothing is committed without the row that publishes it."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from laborguard_contracts import Order
from laborguard_contracts.codec import decode, dumps, encode
from laborguard_registry.errors import OrderExistsError, OrderNotFoundError, StaleVersionError
from laborguard_registry.tables import audit_log, order_versions, orders, outbox


@dataclass(frozen=True)
class AuditEntry:
    actor: str
    action: str
    reason: str
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StoredVersion:
    order: Order
    committed_at: datetime


class Unit:
    """One transaction's worth of reads and writes."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.wrote = False

    def current(self, order_id: str) -> Order:
        query = select(orders.c.document).where(orders.c.order_id == order_id)
        document = self.connection.execute(query).scalar_one_or_none()
        if document is None:
            raise OrderNotFoundError(f"no order {order_id}", "order_id")
        return decode(Order, document)

    def all_current(self) -> dict[str, Order]:
        rows = self.connection.execute(select(orders.c.document)).scalars()
        return {order.order_id: order for order in (decode(Order, row) for row in rows)}

    def insert(self, order: Order, entry: AuditEntry) -> Order:
        stamped = _stamped(order)
        statement = insert(orders).values(_order_row(stamped))
        try:
            with self.connection.begin_nested():
                self.connection.execute(statement)
        except IntegrityError as exc:
            raise OrderExistsError(f"order {order.order_id} exists", "order_id") from exc
        return self._append(stamped, entry)

    def replace(self, order: Order, entry: AuditEntry) -> Order:
        stamped = _stamped(order)
        statement = (
            update(orders)
            .where(orders.c.order_id == order.order_id, orders.c.version == order.version - 1)
            .values(_order_row(stamped))
        )
        if self.connection.execute(statement).rowcount != 1:
            raise StaleVersionError(
                f"order {order.order_id} changed meanwhile; reload it", "expected_version"
            )
        return self._append(stamped, entry)

    def enqueue(self, order: Order) -> None:
        """Publish an already committed version again (republish)."""
        self.connection.execute(insert(outbox).values(_outbox_row(order)))
        self.wrote = True

    def record(self, entry: AuditEntry, order: Order | None = None) -> None:
        self.connection.execute(insert(audit_log).values(_audit_row(entry, order)))

    def _append(self, stamped: Order, entry: AuditEntry) -> Order:
        assert stamped.updated_at is not None
        version_row = {
            "order_id": stamped.order_id,
            "version": stamped.version,
            "document": encode(stamped),
            "committed_at": stamped.updated_at,
        }
        self.connection.execute(insert(order_versions).values(version_row))
        self.enqueue(stamped)
        self.record(entry, stamped)
        return stamped


class OrderStore:
    def __init__(self, engine: Engine, on_commit: Callable[[], None] = lambda: None) -> None:
        self._engine = engine
        self._on_commit = on_commit

    @contextmanager
    def unit(self) -> Iterator[Unit]:
        with self._engine.begin() as connection:
            unit = Unit(connection)
            yield unit
        if unit.wrote:
            self._on_commit()

    def current(self, order_id: str) -> Order:
        with self._engine.connect() as connection:
            return Unit(connection).current(order_id)

    def all_current(self) -> dict[str, Order]:
        with self._engine.connect() as connection:
            return Unit(connection).all_current()

    def count(self) -> int:
        with self._engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(orders)).scalar_one())

    def history(self, order_id: str) -> list[StoredVersion]:
        query = (
            select(order_versions.c.document, order_versions.c.committed_at)
            .where(order_versions.c.order_id == order_id)
            .order_by(order_versions.c.version)
        )
        with self._engine.connect() as connection:
            rows = connection.execute(query).all()
        if not rows:
            raise OrderNotFoundError(f"no order {order_id}", "order_id")
        return [StoredVersion(decode(Order, row.document), row.committed_at) for row in rows]

    def known_at(self, moment: datetime) -> list[Order]:
        """Every order as the registry held it at `moment`: the newest version committed by then."""
        query = (
            select(order_versions.c.order_id, order_versions.c.document)
            .where(order_versions.c.committed_at <= moment)
            .order_by(order_versions.c.order_id, order_versions.c.version)
        )
        with self._engine.connect() as connection:
            latest = {row.order_id: row.document for row in connection.execute(query)}
        return [decode(Order, document) for document in latest.values()]


def _stamped(order: Order) -> Order:
    return order.model_copy(update={"updated_at": datetime.now(UTC)})


def _order_row(order: Order) -> dict[str, Any]:
    return {
        "order_id": order.order_id,
        "version": order.version,
        "kind": order.kind.value,
        "document": encode(order),
        "updated_at": order.updated_at,
    }


def _outbox_row(order: Order) -> dict[str, Any]:
    return {
        "order_id": order.order_id,
        "version": order.version,
        "payload": encode(order),
        "created_at": datetime.now(UTC),
    }


def _audit_row(entry: AuditEntry, order: Order | None) -> dict[str, Any]:
    return {
        "at": datetime.now(UTC),
        "actor": entry.actor,
        "action": entry.action,
        "order_id": order.order_id if order else None,
        "version": order.version if order else None,
        "reason": entry.reason,
        "detail": dumps(dict(entry.detail)).decode(),
    }
