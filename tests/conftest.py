"""Fixtures for what must be running: the embedded broker and the databases.

Tests are marked by what they need: `unit` (nothing), `integration` (broker and/or database),
`e2e` (the whole stack). Every test that uses the shared broker names its topics uniquely
(`unique_name`) so tests never see each other's messages.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest

from laborguard_platform.embedded_broker import EmbeddedBroker, wait_for_port

# CI (and a developer) may point the suite at a broker it started; otherwise one is started here.
BOOTSTRAP_ENV = "LABORGUARD_TEST_BOOTSTRAP"
# The machine's PostgreSQL; each test session works in a database of its own.
POSTGRES_ENV = "LABORGUARD_TEST_POSTGRES"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="session")
def bootstrap() -> Iterator[str]:
    """Bootstrap address of a running Kafka-protocol broker shared by the session."""
    external = os.environ.get(BOOTSTRAP_ENV)
    if external:
        host, port = external.rsplit(":", 1)
        wait_for_port(host, int(port), timeout=30)
        yield external
        return
    broker = EmbeddedBroker()
    broker.start()
    try:
        yield broker.bootstrap
    finally:
        broker.stop()


@pytest.fixture
def own_broker() -> Iterator[EmbeddedBroker]:
    """A broker of the test's own, for tests that stop and restart it."""
    broker = EmbeddedBroker()
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()


@pytest.fixture
def unique_name(request: pytest.FixtureRequest) -> str:
    """A name no other test uses: topic names, group ids, database names."""
    return f"t{uuid.uuid4().hex[:10]}"


def _admin_url() -> str:
    return os.environ.get(POSTGRES_ENV, DEFAULT_POSTGRES)


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """URL of the PostgreSQL server; the session fails loudly if it is not running."""
    url = _admin_url()
    with psycopg.connect(url, connect_timeout=5) as conn:
        conn.execute("SELECT 1")
    return url


@pytest.fixture
def postgres_url(postgres_server: str, unique_name: str) -> Iterator[str]:
    """SQLAlchemy URL of a fresh PostgreSQL database, dropped after the test."""
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{unique_name}"')
    base = postgres_server.rsplit("/", 1)[0]
    try:
        yield f"{base.replace('postgresql://', 'postgresql+psycopg://', 1)}/{unique_name}"
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{unique_name}" WITH (FORCE)')
