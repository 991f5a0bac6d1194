"""The registry and the decisions store start together on one PostgreSQL and both migrate it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import inspect

from laborguard_registry.database import create_db_engine, migrate

pytestmark = pytest.mark.integration


def test_two_processes_migrating_a_fresh_postgresql_at_once_both_succeed(
    postgres_url: str,
) -> None:
    engines = [create_db_engine(postgres_url) for _ in range(4)]
    try:
        with ThreadPoolExecutor(len(engines)) as pool:
            for done in [pool.submit(migrate, engine) for engine in engines]:
                done.result()  # raises what a racing migration raised
        tables = set(inspect(engines[0]).get_table_names())
        assert {"orders", "audit_log", "decisions", "alembic_version"} <= tables
    finally:
        for engine in engines:
            engine.dispose()
