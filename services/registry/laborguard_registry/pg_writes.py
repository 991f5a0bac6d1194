"""A change to one order on PostgreSQL in two round trips: read the current version, then ONE
statement that updates the order (only if still at the version read) and inserts its version,
outbox and audit rows. A single statement is atomic on its own, so it runs in autocommit: no
BEGIN/COMMIT round trips. Straight through psycopg: SQLAlchemy's execution path cost more CPU
than the statements themselves."""

from __future__ import annotations

from typing import Any

CURRENT = "SELECT version, document FROM orders WHERE order_id = %(order_id)s"

CHANGE = """
WITH changed AS (
    UPDATE orders
    SET version = %(version)s, kind = %(kind)s, document = %(document)s, updated_at = %(at)s
    WHERE order_id = %(order_id)s AND version = %(previous)s
    RETURNING order_id
), versioned AS (
    INSERT INTO order_versions (order_id, version, document, committed_at)
    SELECT order_id, %(version)s, %(document)s, %(at)s FROM changed
), queued AS (
    INSERT INTO outbox (order_id, version, payload, created_at)
    SELECT order_id, %(version)s, %(document)s, %(at)s FROM changed
), audited AS (
    INSERT INTO audit_log (at, actor, action, order_id, version, reason, detail)
    SELECT %(at)s, %(actor)s, %(action)s, order_id, %(version)s, %(reason)s, %(detail)s
    FROM changed
)
SELECT count(*) FROM changed
"""


CURRENT_MANY = "SELECT order_id, version, document FROM orders WHERE order_id = ANY(%(ids)s)"


def current_many(raw: Any, order_ids: list[str]) -> dict[str, tuple[int, bytes]]:
    rows = raw.execute(CURRENT_MANY, {"ids": order_ids}).fetchall()
    return {row[0]: (int(row[1]), bytes(row[2])) for row in rows}


def change_many(raw: Any, rows: list[dict[str, Any]]) -> list[bool]:
    """Each next version in turn (one pipeline); False where an order was no longer at
    `previous`."""
    with raw.cursor() as cursor:
        cursor.executemany(CHANGE, rows, returning=True)
        changed = []
        while True:
            changed.append(bool(cursor.fetchone()[0]))
            if not cursor.nextset():
                return changed


def current(raw: Any, order_id: str) -> tuple[int, bytes] | None:
    """(version, document) of the stored order, or None."""
    row = raw.execute(CURRENT, {"order_id": order_id}).fetchone()
    return None if row is None else (int(row[0]), bytes(row[1]))


def change(raw: Any, row: dict[str, Any]) -> bool:
    """Write the next version; False when the order is no longer at `previous` (stale)."""
    (count,) = raw.execute(CHANGE, row).fetchone()
    return bool(count)


async def current_async(connection: Any, order_id: str) -> tuple[int, bytes] | None:
    cursor = await connection.execute(CURRENT, {"order_id": order_id})
    row = await cursor.fetchone()
    return None if row is None else (int(row[0]), bytes(row[1]))


async def change_async(connection: Any, row: dict[str, Any]) -> bool:
    cursor = await connection.execute(CHANGE, row)
    (count,) = await cursor.fetchone()
    return bool(count)
