"""Engines and migrations. SQLite gets WAL and BEGIN IMMEDIATE so writers queue, not fail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

MIGRATIONS = "laborguard_registry:migrations"


def create_db_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # No pre-ping: it costs a round trip per checkout; a dropped connection fails one
        # request and SQLAlchemy then discards the whole pool. Enough pooled connections for
        # the request threads: an overflow connection is closed on return, and opening one
        # (a PostgreSQL backend process) costs far more than the change it carries.
        return create_engine(url, pool_size=24, max_overflow=16, pool_recycle=1800)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
    event.listen(engine, "connect", _configure_sqlite)
    event.listen(engine, "begin", _begin_immediate)
    return engine


MIGRATION_LOCK = 0x6C61626F72  # any constant the project's processes share


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (a no-op when it is there already)."""
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # The registry and the decisions store start together on one database: their first
            # migrations would race on the same CREATE TABLEs. One waits for the other's commit
            # (DDL is transactional here), then finds the schema at head.
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


# What the application's role may do (PostgreSQL, when migrations run as the owner): the audit
# log and the order versions only grow; it cannot truncate, alter, or drop their triggers.
APP_GRANTS = (
    "GRANT SELECT, INSERT ON audit_log, order_versions TO {role}",
    "GRANT SELECT, INSERT, UPDATE ON orders, outbox, api_tokens TO {role}",
    "GRANT SELECT ON alembic_version TO {role}",
    # the decisions store writes these; the console reads them
    "GRANT SELECT, INSERT, UPDATE ON decisions, decision_orders, shipment_events, store_rejects,"
    " store_offsets TO {role}",
    "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}",
)


def grant_app_role(owner: Engine, role: str) -> None:
    """Give the application's role (not the owner) exactly what it needs."""
    quoted = owner.dialect.identifier_preparer.quote(role)
    with owner.begin() as connection:
        for grant in APP_GRANTS:
            connection.exec_driver_sql(grant.format(role=quoted))


def ping(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # Take transaction control from the sqlite3 module so "begin" below decides how to begin.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _begin_immediate(connection: Any) -> None:
    # A deferred read transaction that later writes fails at once with SQLITE_BUSY under WAL;
    # taking the write lock up front makes concurrent writers wait for each other instead.
    connection.exec_driver_sql("BEGIN IMMEDIATE")
