"""Versioned order storage. A unit of work writes the order, its version row, its audit row and
its outbox row in one transaction; nothing is committed without the row that publishes it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from anyio import to_thread
from sqlalchemy import Connection, Engine, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from laborguard_contracts import Order
from laborguard_contracts.codec import decode, dumps, encode
from laborguard_registry import audit_chain, pg_writes
from laborguard_registry.audit_chain import GENESIS
from laborguard_registry.errors import (
    InvalidChangeError,
    OrderExistsError,
    OrderNotFoundError,
    StaleVersionError,
    located,
)
from laborguard_registry.pg_pool import AsyncPool
from laborguard_registry.tables import audit_log, order_versions, orders, outbox


@dataclass(frozen=True)
class AuditEntry:
    """An audit row to be: every write path builds one, so the reason rule lives here."""

    actor: str
    action: str
    reason: str
    detail: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "reason", audited_reason(self.reason))


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def audited_reason(reason: str) -> str:
    """The reason as recorded: trimmed, with visible text, and no control character (PostgreSQL
    cannot store NUL, SQLite can: both refuse it here alike)."""
    reason = reason.strip()
    if CONTROL.search(reason):
        raise InvalidChangeError("a reason cannot hold control characters", "reason")
    # Letters, marks, numbers, punctuation, symbols: not only spaces and invisible format marks.
    if not any(unicodedata.category(char)[0] in "LMNPS" for char in reason):
        raise InvalidChangeError("every write needs a reason with visible text", "reason")
    return reason


@dataclass(frozen=True)
class Change:
    """The next version of one order, decided from its current one (an item of a bulk change;
    `label` prefixes the field its errors name)."""

    order_id: str
    decide: Callable[[Order], Order]
    entry: AuditEntry
    label: str = ""


@dataclass(frozen=True)
class StoredVersion:
    order: Order
    committed_at: datetime


# Built once: building a statement per call cost more CPU than executing it (~0.25 ms each).
SELECT_CURRENT = select(orders.c.order_id, orders.c.version, orders.c.document).where(
    orders.c.order_id == bindparam("order_id")
)
SELECT_ALL_CURRENT = select(orders.c.order_id, orders.c.version, orders.c.document)
INSERT_ORDER = insert(orders)
UPDATE_ORDER = update(orders).where(
    orders.c.order_id == bindparam("current_id"),
    orders.c.version == bindparam("current_version"),
)
INSERT_VERSION = insert(order_versions)
INSERT_OUTBOX = insert(outbox)
INSERT_AUDIT = insert(audit_log)
LAST_AUDIT = (
    select(audit_log.c.audit_id, audit_log.c.row_hash)
    .order_by(audit_log.c.audit_id.desc())
    .limit(1)
)


class Decoded:
    """Versions never change, so a version decoded once (or just written) is reused: decoding
    a large order costs about a millisecond."""

    def __init__(self, capacity: int = 10_000) -> None:
        self._orders: dict[tuple[str, int], Order] = {}
        self._capacity = capacity

    def get(self, order_id: str, version: int, document: bytes) -> Order:
        order = self._orders.get((order_id, version))
        return order if order is not None else self.put(decode(Order, document))

    def put(self, order: Order) -> Order:
        if len(self._orders) >= self._capacity:
            self._orders.clear()
        self._orders[(order.order_id, order.version)] = order
        return order


class Unit:
    """One transaction's worth of reads and writes."""

    def __init__(self, connection: Connection, decoded: Decoded) -> None:
        self.connection = connection
        self.wrote = False
        self._decoded = decoded

    def current(self, order_id: str) -> Order:
        row = self.connection.execute(SELECT_CURRENT, {"order_id": order_id}).one_or_none()
        if row is None:
            raise OrderNotFoundError(f"no order {order_id}", "order_id")
        return self._decoded.get(*row)

    def all_current(self) -> dict[str, Order]:
        rows = self.connection.execute(SELECT_ALL_CURRENT)
        return {row.order_id: self._decoded.get(*row) for row in rows}

    def insert(self, order: Order, entry: AuditEntry) -> Order:
        stamped = _stamped(order)
        document = encode(stamped)
        try:
            with self.connection.begin_nested():
                self.connection.execute(INSERT_ORDER, _order_row(stamped, document))
        except IntegrityError as exc:
            raise OrderExistsError(f"order {order.order_id} exists", "order_id") from exc
        return self._append(stamped, document, entry)

    def replace(self, order: Order, entry: AuditEntry) -> Order:
        stamped = _stamped(order)
        document = encode(stamped)
        where = {"current_id": order.order_id, "current_version": order.version - 1}
        updated = self.connection.execute(UPDATE_ORDER, {**where, **_order_row(stamped, document)})
        if updated.rowcount != 1:
            raise StaleVersionError(
                f"order {order.order_id} changed meanwhile; reload it", "expected_version"
            )
        return self._append(stamped, document, entry)

    def enqueue(self, order: Order, document: bytes | None = None) -> None:
        """Queue a committed version for publishing (again, for a republish)."""
        row = _outbox_row(order, document if document is not None else encode(order))
        self.connection.execute(INSERT_OUTBOX, row)
        self.wrote = True

    def record(self, entry: AuditEntry, order: Order | None = None) -> None:
        row = _audit_row(entry, order)
        if self.connection.dialect.name == "sqlite":
            # Chained here (PostgreSQL chains in a trigger): SQLite writers are serialised by
            # BEGIN IMMEDIATE, so the last row read is the one this row follows.
            last = self.connection.execute(LAST_AUDIT).one_or_none()
            row["audit_id"] = last.audit_id + 1 if last else 1
            row["row_hash"] = audit_chain.row_hash(last.row_hash if last else GENESIS, row)
        self.connection.execute(INSERT_AUDIT, row)

    def _append(self, stamped: Order, document: bytes, entry: AuditEntry) -> Order:
        assert stamped.updated_at is not None
        version_row = {
            "order_id": stamped.order_id,
            "version": stamped.version,
            "document": document,
            "committed_at": stamped.updated_at,
        }
        self.connection.execute(INSERT_VERSION, version_row)
        self.enqueue(stamped, document)
        self.record(entry, stamped)
        return self._decoded.put(stamped)


class OrderStore:
    def __init__(
        self,
        engine: Engine,
        on_commit: Callable[[], None] = lambda: None,
        pool: AsyncPool | None = None,
    ) -> None:
        self._engine = engine
        self._pool = pool
        self._on_commit = on_commit
        self._decoded = Decoded()
        self._postgresql = engine.dialect.name == "postgresql"
        self._autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")

    def change(self, change: Change) -> Order:
        """The next version of one order, decided from the current one, stored and queued."""
        if not self._postgresql:
            with self.unit() as unit:
                return _change_in(unit, change)
        with self._autocommit.connect() as connection:
            raw = connection.connection.driver_connection
            stamped, row = self._next(change, pg_writes.current(raw, change.order_id))
            if not pg_writes.change(raw, row):
                raise _stale(change.order_id)
        self._on_commit()
        return self._decoded.put(stamped)

    async def change_async(self, change: Change) -> Order:
        """`change` without blocking the event loop: asynchronous on PostgreSQL, else a thread."""
        if self._pool is None:
            return await to_thread.run_sync(self.change, change)
        async with self._pool.connection() as connection:
            found = await pg_writes.current_async(connection, change.order_id)
            stamped, row = self._next(change, found)
            if not await pg_writes.change_async(connection, row):
                raise _stale(change.order_id)
        self._on_commit()
        return self._decoded.put(stamped)

    async def aclose(self) -> None:
        if self._pool is not None:
            await self._pool.close()

    def _next(
        self, change: Change, found: tuple[int, bytes] | None
    ) -> tuple[Order, dict[str, Any]]:
        if found is None:
            raise OrderNotFoundError(f"no order {change.order_id}", "order_id")
        stamped = _stamped(change.decide(self._decoded.get(change.order_id, *found)))
        return stamped, _change_row(stamped, encode(stamped), change.entry)

    @contextmanager
    def unit(self) -> Iterator[Unit]:
        with self._engine.begin() as connection:
            unit = Unit(connection, self._decoded)
            yield unit
        if unit.wrote:
            self._on_commit()

    def change_many(self, changes: list[Change]) -> list[Order]:
        """Every change in turn, in ONE transaction: all or none."""
        if not self._postgresql:
            with self.unit() as unit:
                return [_change_in(unit, change) for change in changes]
        with self._engine.begin() as connection:
            raw = connection.connection.driver_connection
            found = pg_writes.current_many(raw, sorted({c.order_id for c in changes}))
            held = {order_id: self._decoded.get(order_id, *row) for order_id, row in found.items()}
            decided = []
            for change in changes:
                with located(change.label):
                    if change.order_id not in held:
                        raise OrderNotFoundError(f"no order {change.order_id}", "order_id")
                    stamped = _stamped(change.decide(held[change.order_id]))
                held[change.order_id] = stamped
                decided.append((stamped, encode(stamped), change))
            rows = [_change_row(order, document, c.entry) for order, document, c in decided]
            for changed, (_, _, change) in zip(
                pg_writes.change_many(raw, rows), decided, strict=True
            ):
                if not changed:
                    with located(change.label):
                        raise _stale(change.order_id)
        self._on_commit()
        return [self._decoded.put(order) for order, _, _ in decided]

    def current(self, order_id: str) -> Order:
        with self._engine.connect() as connection:
            return Unit(connection, self._decoded).current(order_id)

    def all_current(self) -> dict[str, Order]:
        with self._engine.connect() as connection:
            return Unit(connection, self._decoded).all_current()

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


def _stale(order_id: str) -> StaleVersionError:
    return StaleVersionError(f"order {order_id} changed meanwhile; reload it", "expected_version")


def _change_in(unit: Unit, change: Change) -> Order:
    if not change.label:
        return unit.replace(change.decide(unit.current(change.order_id)), change.entry)
    with located(change.label):
        return unit.replace(change.decide(unit.current(change.order_id)), change.entry)


def _stamped(order: Order) -> Order:
    return order.model_copy(update={"updated_at": datetime.now(UTC)})


def _order_row(order: Order, document: bytes) -> dict[str, Any]:
    return {
        "order_id": order.order_id,
        "version": order.version,
        "kind": order.kind.value,
        "document": document,
        "updated_at": order.updated_at,
    }


def _change_row(order: Order, document: bytes, entry: AuditEntry) -> dict[str, Any]:
    return {
        "order_id": order.order_id,
        "previous": order.version - 1,
        "version": order.version,
        "kind": order.kind.value,
        "document": document,
        "at": order.updated_at,
        "actor": entry.actor,
        "action": entry.action,
        "reason": entry.reason,
        "detail": dumps(dict(entry.detail)).decode(),
    }


def _outbox_row(order: Order, document: bytes) -> dict[str, Any]:
    return {
        "order_id": order.order_id,
        "version": order.version,
        "payload": document,
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
