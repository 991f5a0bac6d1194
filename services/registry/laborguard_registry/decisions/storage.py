"""Writing batches of decisions idempotently, with the offsets, in ONE transaction; reading them
back for the console. SQLite and PostgreSQL (the same statements)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Insert, Table, and_, func, select
from sqlalchemy.dialects import postgresql, sqlite

from laborguard_contracts.codec import loads
from laborguard_registry.decisions.records import Batch
from laborguard_registry.decisions.tables import (
    decision_orders,
    decisions,
    shipment_events,
    store_offsets,
    store_rejects,
)

QUEUE_OUTCOMES = ("DETAIN", "REFER")
T = TypeVar("T")


@dataclass(frozen=True)
class Written:
    decisions: int
    shipments: int
    rejects: int


@dataclass(frozen=True)
class StoredDecision:
    decision_key: str
    shipment_id: str
    event_id: str
    outcome: str
    decided_at: datetime
    source: str
    document: dict[str, Any]
    importer: str | None = None


class DecisionStorage:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def write(self, batch: Batch, consumer: str) -> Written:
        """Rows and next offsets in one transaction; rows already stored are left alone."""
        stored_at = datetime.now(UTC)
        with self._engine.begin() as connection:
            keys = self._insert_new(
                connection,
                decisions,
                "decision_key",
                [
                    {
                        "decision_key": d.decision_key,
                        "shipment_id": d.shipment_id,
                        "event_id": d.event_id,
                        "outcome": d.outcome,
                        "decided_at": d.decided_at,
                        "event_time": d.event_time,
                        "supersedes": d.supersedes,
                        "document": d.document,
                        "source": str(d.source),
                        "stored_at": stored_at,
                    }
                    for d in _distinct(batch.decisions, lambda d: d.decision_key)
                ],
            )
            self._insert_new(
                connection,
                decision_orders,
                "decision_key",
                [
                    {
                        "decision_key": d.decision_key,
                        "order_id": m.order_id,
                        "order_version": m.order_version,
                        "outcome": d.outcome,
                        "shipment_id": d.shipment_id,
                        "decided_at": d.decided_at,
                    }
                    for d in batch.decisions
                    if d.decision_key in keys
                    for m in d.orders
                ],
            )
            events = self._insert_new(
                connection,
                shipment_events,
                "event_id",
                [
                    {
                        "event_id": s.event_id,
                        "shipment_id": s.shipment_id,
                        "importer": s.importer,
                        "event_time": s.event_time,
                        "document": s.document,
                    }
                    for s in _distinct(batch.shipments, lambda s: s.event_id)
                ],
            )
            rejects = self._insert_new(
                connection,
                store_rejects,
                "source",
                [
                    {
                        "source": str(r.source),
                        "reason": r.reason,
                        "payload": r.payload,
                        "rejected_at": stored_at,
                    }
                    for r in batch.rejects
                ],
            )
            self._save_offsets(connection, consumer, batch.next_offsets)
        return Written(len(keys), len(events), len(rejects))

    def offsets(self, consumer: str) -> dict[tuple[str, int], int]:
        query = select(store_offsets).where(store_offsets.c.consumer == consumer)
        with self._engine.connect() as connection:
            rows = connection.execute(query).all()
        return {(row.topic, row.partition): row.next_offset for row in rows}

    # -- reads for the console -------------------------------------------------------------

    def queue(
        self, outcomes: Sequence[str] = QUEUE_OUTCOMES, limit: int = 200
    ) -> list[StoredDecision]:
        """Shipments whose latest decision has one of `outcomes`, newest first."""
        latest = (
            select(decisions.c.shipment_id, func.max(decisions.c.decided_at).label("latest"))
            .group_by(decisions.c.shipment_id)
            .subquery()
        )
        query = (
            select(decisions)
            .join(
                latest,
                and_(
                    latest.c.shipment_id == decisions.c.shipment_id,
                    latest.c.latest == decisions.c.decided_at,
                ),
            )
            .where(decisions.c.outcome.in_(list(outcomes)))
            .order_by(decisions.c.decided_at.desc())
            .limit(limit)
        )
        return self._read(query)

    def history(self, shipment_id: str) -> list[StoredDecision]:
        query = (
            select(decisions)
            .where(decisions.c.shipment_id == shipment_id)
            .order_by(decisions.c.decided_at, decisions.c.decision_key)
        )
        return self._read(query)

    def events(self, shipment_id: str) -> dict[str, dict[str, Any]]:
        """The shipment's events by event id (their documents)."""
        query = select(shipment_events).where(shipment_events.c.shipment_id == shipment_id)
        with self._engine.connect() as connection:
            rows = connection.execute(query).all()
        return {row.event_id: loads(row.document) for row in rows}

    def detained_by(self, order_id: str, limit: int = 200) -> list[StoredDecision]:
        """Decisions that detained (or referred) shipments because of this order."""
        query = (
            select(decisions)
            .join(decision_orders, decision_orders.c.decision_key == decisions.c.decision_key)
            .where(
                decision_orders.c.order_id == order_id,
                decision_orders.c.outcome.in_(list(QUEUE_OUTCOMES)),
            )
            .order_by(decisions.c.decided_at.desc())
            .limit(limit)
        )
        return self._read(query)

    def search(
        self,
        shipment: str | None = None,
        importer: str | None = None,
        outcome: str | None = None,
        order_id: str | None = None,
        limit: int = 200,
    ) -> list[StoredDecision]:
        query = select(decisions, shipment_events.c.importer).outerjoin(
            shipment_events, shipment_events.c.event_id == decisions.c.event_id
        )
        if shipment:
            query = query.where(decisions.c.shipment_id == shipment)
        if importer:
            query = query.where(shipment_events.c.importer == importer)
        if outcome:
            query = query.where(decisions.c.outcome == outcome)
        if order_id:
            matched = select(decision_orders.c.decision_key).where(
                decision_orders.c.order_id == order_id
            )
            query = query.where(decisions.c.decision_key.in_(matched))
        return self._read(query.order_by(decisions.c.decided_at.desc()).limit(limit))

    def counts(self) -> dict[str, int]:
        query = select(decisions.c.outcome, func.count()).group_by(decisions.c.outcome)
        with self._engine.connect() as connection:
            return {row[0]: row[1] for row in connection.execute(query).all()}

    def _read(self, query: Any) -> list[StoredDecision]:
        with self._engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [
            StoredDecision(
                decision_key=row["decision_key"],
                shipment_id=row["shipment_id"],
                event_id=row["event_id"],
                outcome=row["outcome"],
                decided_at=row["decided_at"],
                source=row["source"],
                document=loads(row["document"]),
                importer=row.get("importer"),
            )
            for row in rows
        ]

    def _insert_new(
        self, connection: Connection, table: Table, key: str, rows: list[dict[str, Any]]
    ) -> set[Any]:
        """Inserts the rows whose key is new; returns the keys inserted."""
        if not rows:
            return set()
        statement = _insert(connection, table).on_conflict_do_nothing()
        returned = connection.execute(statement.returning(table.c[key]), rows).all()
        return {row[0] for row in returned}

    def _save_offsets(
        self, connection: Connection, consumer: str, offsets: dict[tuple[str, int], int]
    ) -> None:
        if not offsets:
            return
        rows = [
            {"consumer": consumer, "topic": topic, "partition": partition, "next_offset": offset}
            for (topic, partition), offset in sorted(offsets.items())
        ]
        statement = _insert(connection, store_offsets)
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=["consumer", "topic", "partition"],
                set_={"next_offset": statement.excluded.next_offset},
            ),
            rows,
        )


def _insert(connection: Connection, table: Table) -> Any:
    dialect: Any = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement: Insert = dialect.insert(table)
    return statement


def _distinct(items: Iterable[T], key: Any) -> list[T]:
    """First occurrence per key: one statement must not insert the same key twice."""
    seen: dict[Any, T] = {}
    for item in items:
        seen.setdefault(key(item), item)
    return list(seen.values())
