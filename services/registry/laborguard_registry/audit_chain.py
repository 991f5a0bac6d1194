"""The audit log's hash chain: each row's `row_hash` is the SHA-256 of the previous row's hash
and this row's fields, so a row changed, removed or slipped in below the API breaks the chain
at that row. PostgreSQL computes it in a trigger (migration 0002, same formula in SQL, under a
lock so that concurrent writers append one after the other); SQLite writers are serialised
already and the store computes it. `verify` recomputes the chain and names the first bad row."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

GENESIS = "0" * 64
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FIELDS = ("audit_id", "at", "actor", "action", "order_id", "version", "reason", "detail")


def _field(value: Any) -> str:
    # Length-prefixed, so no separator inside a value can shift one field into the next.
    if value is None:
        return "~"
    if isinstance(value, datetime):
        value = (value - EPOCH) // timedelta(microseconds=1)
    text = str(value)
    return f"{len(text)}:{text}"


def row_hash(previous: str, row: Mapping[str, Any]) -> str:
    payload = previous + "|" + "|".join(_field(row[name]) for name in FIELDS)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    audit_id: int
    reason: str

    def __str__(self) -> str:
        return f"audit row {self.audit_id}: {self.reason}"


def verify(rows: Iterable[Mapping[str, Any]]) -> tuple[int, ChainBreak | None]:
    """(rows checked, the first broken row or None), rows in audit_id order."""
    previous, checked, last_id = GENESIS, 0, 0
    for row in rows:
        if row["audit_id"] <= last_id:
            return checked, ChainBreak(row["audit_id"], "out of order")
        expected = row_hash(previous, row)
        if row["row_hash"] != expected:
            what = "has no hash" if row["row_hash"] is None else "does not match its content"
            return checked, ChainBreak(row["audit_id"], f"{what} or its predecessor's hash")
        previous, last_id, checked = expected, row["audit_id"], checked + 1
    return checked, None


# The same formula in PL/pgSQL (migration 0002 installs it).
POSTGRES_FIELD = """
CREATE FUNCTION audit_chain_field(value text) RETURNS text AS $$
    SELECT CASE WHEN value IS NULL THEN '~' ELSE length(value)::text || ':' || value END
$$ LANGUAGE sql IMMUTABLE
"""
CHAIN_LOCK = 720_412  # advisory lock key (per database): audit appends one at a time
POSTGRES_CHAIN = f"""
CREATE FUNCTION audit_log_chain() RETURNS trigger AS $$
DECLARE previous text;
BEGIN
    IF NEW.row_hash IS NOT NULL THEN
        RAISE EXCEPTION 'audit_log.row_hash is computed by the database';
    END IF;
    PERFORM pg_advisory_xact_lock({CHAIN_LOCK});
    -- The id is taken under the lock, so id order is chain order.
    NEW.audit_id := nextval('audit_log_audit_id_seq');  -- the BIGSERIAL's own sequence
    SELECT row_hash INTO previous FROM audit_log ORDER BY audit_id DESC LIMIT 1;
    NEW.row_hash := encode(sha256(convert_to(
        coalesce(previous, '{GENESIS}')
        || '|' || audit_chain_field(NEW.audit_id::text)
        || '|' || audit_chain_field(((extract(epoch FROM NEW.at) * 1000000)::bigint)::text)
        || '|' || audit_chain_field(NEW.actor)
        || '|' || audit_chain_field(NEW.action)
        || '|' || audit_chain_field(NEW.order_id)
        || '|' || audit_chain_field(NEW.version::text)
        || '|' || audit_chain_field(NEW.reason)
        || '|' || audit_chain_field(NEW.detail),
        'UTF8')), 'hex');
    RETURN NEW;
END $$ LANGUAGE plpgsql
"""
