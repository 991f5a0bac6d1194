"""The relational schema (SQLAlchemy Core). Changed only together with a migration."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Dialect,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in and out, also on SQLite (which stores naive text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        converted = value.astimezone(UTC)
        return converted.replace(tzinfo=None) if dialect.name == "sqlite" else converted

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


Serial = BigInteger().with_variant(Integer, "sqlite")  # SQLite autoincrements INTEGER only
metadata = MetaData()

# The current version of every order (one row per order).
orders = Table(
    "orders",
    metadata,
    Column("order_id", String(128), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("document", LargeBinary, nullable=False),  # codec.encode(Order)
    Column("updated_at", UtcDateTime, nullable=False),
)

# Every version ever committed; the history and the as-of queries read it.
order_versions = Table(
    "order_versions",
    metadata,
    Column("order_id", String(128), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("document", LargeBinary, nullable=False),
    Column("committed_at", UtcDateTime, nullable=False, index=True),
)

# Append-only (triggers refuse UPDATE, DELETE, TRUNCATE and REPLACE), hash-chained: who did
# what, when and why.
audit_log = Table(
    "audit_log",
    metadata,
    Column("audit_id", Serial, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", String(128), nullable=False),
    Column("action", String(64), nullable=False),
    Column("order_id", String(128), nullable=True, index=True),
    Column("version", Integer, nullable=True),
    Column("reason", Text, nullable=False),
    Column("detail", Text, nullable=False),
    # sha256 of the previous row's row_hash and this row's fields (audit_chain.py)
    Column("row_hash", String(64), nullable=True),
)

# Written in the same transaction as the change; the relay publishes in outbox_id order.
outbox = Table(
    "outbox",
    metadata,
    Column("outbox_id", Serial, primary_key=True, autoincrement=True),
    Column("order_id", String(128), nullable=False),
    Column("version", Integer, nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime, nullable=True),
)
Index(
    "ix_outbox_unsent",
    outbox.c.outbox_id,
    sqlite_where=outbox.c.sent_at.is_(None),
    postgresql_where=outbox.c.sent_at.is_(None),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("name", String(128), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),  # sha256 hex of the token
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(128), nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
    Column("expires_at", UtcDateTime, nullable=True),
)
