"""Decisions store fixtures: the same storage test bodies run against SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from laborguard_registry.database import create_db_engine, migrate
from laborguard_registry.decisions.storage import DecisionStorage


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'registry.sqlite3'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    created = create_db_engine(database_url)
    migrate(created)
    try:
        yield created
    finally:
        created.dispose()


@pytest.fixture
def storage(engine: Engine) -> DecisionStorage:
    return DecisionStorage(engine)
