"""The relay's side of the outbox: unsent rows in commit order, marking them sent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, func, select, update

from laborguard_registry.tables import outbox


@dataclass(frozen=True)
class OutboxRow:
    outbox_id: int
    order_id: str
    version: int
    payload: bytes


@dataclass(frozen=True)
class Backlog:
    unsent: int
    oldest: datetime | None


class Outbox:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def unsent(self, limit: int) -> list[OutboxRow]:
        query = (
            select(outbox.c.outbox_id, outbox.c.order_id, outbox.c.version, outbox.c.payload)
            .where(outbox.c.sent_at.is_(None))
            .order_by(outbox.c.outbox_id)
            .limit(limit)
        )
        with self._engine.connect() as connection:
            return [OutboxRow(*row) for row in connection.execute(query)]

    def mark_sent(self, ids: Sequence[int]) -> None:
        statement = (
            update(outbox).where(outbox.c.outbox_id.in_(ids)).values(sent_at=datetime.now(UTC))
        )
        with self._engine.begin() as connection:
            connection.execute(statement)

    def backlog(self) -> Backlog:
        query = select(func.count(), func.min(outbox.c.created_at)).where(
            outbox.c.sent_at.is_(None)
        )
        with self._engine.connect() as connection:
            count, oldest = connection.execute(query).one()
        return Backlog(int(count), oldest)
