"""Registry fixtures: the same test bodies run against SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from laborguard_contracts import Order
from laborguard_contracts.codec import decode
from laborguard_registry.app import Registry, build
from laborguard_registry.settings import RegistrySettings
from laborguard_registry.tokens import Principal, Role
from testbed.topic_reading import Records, read_until

ADMIN_TOKEN = "test-admin-token-0123456789"
OFFICER = Principal("officer-test", Role.OFFICER)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'registry.sqlite3'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def settings(database_url: str, unique_name: str) -> RegistrySettings:
    return RegistrySettings(
        database_url=database_url,
        kafka_bootstrap="127.0.0.1:1",  # tests that publish build settings with a real broker
        admin_token=ADMIN_TOKEN,
        orders_topic=unique_name,
        relay_poll_seconds=0.05,
        relay_max_backoff_seconds=1.0,
    )


@pytest.fixture
def registry(settings: RegistrySettings) -> Iterator[Registry]:
    built = build(settings)
    try:
        yield built
    finally:
        built.close()


@pytest.fixture
def client(registry: Registry) -> Iterator[TestClient]:
    with TestClient(registry.app, raise_server_exceptions=False) as test_client:
        yield test_client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


Issue = Callable[[str, str], dict[str, str]]


@pytest.fixture
def admin() -> dict[str, str]:
    """Headers carrying the settings' admin bootstrap token."""
    return bearer(ADMIN_TOKEN)


@pytest.fixture
def issue(client: TestClient, admin: dict[str, str]) -> Issue:
    """Issues a fresh token: issue(name, role) -> request headers carrying it."""

    def issue_token(name: str, role: str) -> dict[str, str]:
        body = {"name": name, "role": role, "reason": "test set-up"}
        response = client.post("/tokens", json=body, headers=admin)
        assert response.status_code == 201, response.text
        return bearer(response.json()["token"])

    return issue_token


TopicReader = Callable[..., Awaitable[list[tuple[str, Order]]]]


@pytest.fixture
def topic_reader() -> TopicReader:
    return read_topic


async def read_topic(
    bootstrap: str, topic: str, expected: set[tuple[str, int]], within: float = 60.0
) -> list[tuple[str, Order]]:
    """(key, order) of every message on the topic, once every expected (key, version) arrived."""

    def orders(records: Records) -> list[tuple[str, Order]]:
        return [((r.key or b"").decode(), decode(Order, r.value or b"")) for r in records]

    def arrived(records: Records) -> bool:
        return expected <= {(o.order_id, o.version) for _, o in orders(records)}

    return orders(await read_until(bootstrap, [topic], arrived, within, fetch_wait_ms=100))


@pytest.fixture
def first_seen() -> Callable[[list[tuple[str, Order]]], dict[str, list[int]]]:
    return first_seen_versions


def first_seen_versions(messages: list[tuple[str, Order]]) -> dict[str, list[int]]:
    """Per key, versions in the order they first appeared (what a deduplicating consumer sees)."""
    order: dict[str, list[int]] = {}
    for key, document in messages:
        versions = order.setdefault(key, [])
        if document.version not in versions:
            versions.append(document.version)
    return order
