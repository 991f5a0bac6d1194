"""The relay's side of the outbox: unsent rows in commit order, marking them sent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, bindparam, func, select, update

from laborguard_registry.tables import outbox

UNSENT = (
    select(outbox.c.outbox_id, outbox.c.order_id, outbox.c.version, outbox.c.payload)
    .where(outbox.c.sent_at.is_(None))
    .order_by(outbox.c.outbox_id)
    .limit(bindparam("limit"))
)
MARK_SENT = update(outbox).where(outbox.c.outbox_id.in_(bindparam("ids", expanding=True)))


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
        with self._engine.connect() as connection:
            return [OutboxRow(*row) for row in connection.execute(UNSENT, {"limit": limit})]

    def mark_sent(self, ids: Sequence[int]) -> None:
        with self._engine.begin() as connection:
            connection.execute(MARK_SENT, {"ids": list(ids), "sent_at": datetime.now(UTC)})

    def backlog(self) -> Backlog:
        query = select(func.count(), func.min(outbox.c.created_at)).where(
            outbox.c.sent_at.is_(None)
        )
        with self._engine.connect() as connection:
            count, oldest = connection.execute(query).one()
        return Backlog(int(count), oldest)
