"""Fixtures for what must be running: the brokers and the databases.

Tests are marked by what they need: `unit` (nothing), `integration` (broker and/or database),
`e2e` (the whole stack). Every test that uses the shared broker names its topics uniquely
(`unique_name`) so tests never see each other's messages.

The shared broker (`bootstrap`) is Apache Kafka (one node of the pinned version, started once per
session by laborguard_platform.apache_kafka), as in production. Tests marked `embedded_too` run a
second time on the embedded broker, which `make run` uses: the readiness gate, replay, the worker's
main path. LABORGUARD_TEST_KAFKA=embedded runs the whole suite on the embedded broker instead;
LABORGUARD_TEST_BOOTSTRAP=host:port points it at a running Kafka.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest

from laborguard_platform.apache_kafka import ApacheKafka
from laborguard_platform.embedded_broker import EmbeddedBroker, wait_for_port

# CI (and a developer) may point the suite at a broker it started; otherwise one is started here.
BOOTSTRAP_ENV = "LABORGUARD_TEST_BOOTSTRAP"
# Which broker `bootstrap` starts: apache (default) or embedded.
KIND_ENV = "LABORGUARD_TEST_KAFKA"
# The machine's PostgreSQL; each test session works in a database of its own.
POSTGRES_ENV = "LABORGUARD_TEST_POSTGRES"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


def _default_kind() -> str:
    kind = os.environ.get(KIND_ENV, "apache")
    if kind not in ("apache", "embedded"):
        raise pytest.UsageError(f"{KIND_ENV} must be apache or embedded, not {kind!r}")
    return kind


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "kafka_kind" not in metafunc.fixturenames:
        return
    kinds = [_default_kind()]
    if metafunc.definition.get_closest_marker("embedded_too") and "embedded" not in kinds:
        kinds.append("embedded")
    metafunc.parametrize("kafka_kind", kinds, indirect=True, scope="session")


@pytest.fixture(scope="session")
def kafka_kind(request: pytest.FixtureRequest) -> str:
    """Which broker the test runs on (a parameter: `embedded_too` tests run on both)."""
    return str(getattr(request, "param", _default_kind()))


@pytest.fixture(scope="session")
def apache_kafka() -> Iterator[ApacheKafka]:
    """One node of Apache Kafka shared by the session (started on first use); its log cleaner
    looks for work every 0.5 s (15 s by default) so a compaction test need not wait long."""
    cluster = ApacheKafka(brokers=1, overrides={"log.cleaner.backoff.ms": "500"})
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop(graceful=False)


@pytest.fixture(scope="session")
def embedded_broker() -> Iterator[EmbeddedBroker]:
    """One embedded broker shared by the session (started on first use)."""
    broker = EmbeddedBroker()
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()


@pytest.fixture(scope="session")
def bootstrap(kafka_kind: str, request: pytest.FixtureRequest) -> str:
    """Bootstrap address of a running Kafka-protocol broker shared by the session."""
    external = os.environ.get(BOOTSTRAP_ENV)
    if external and kafka_kind == _default_kind():
        host, port = external.split(",")[0].rsplit(":", 1)
        wait_for_port(host, int(port), timeout=30)
        return external
    if kafka_kind == "apache":
        return str(request.getfixturevalue("apache_kafka").bootstrap)
    return str(request.getfixturevalue("embedded_broker").bootstrap)


@pytest.fixture
def own_broker() -> Iterator[EmbeddedBroker]:
    """An embedded broker of the test's own, for tests that stop and restart it."""
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
