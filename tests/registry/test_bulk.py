"""Bulk amendments (one request, one transaction) and the token cache, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from laborguard_registry.app import Registry
from laborguard_registry.errors import AuthenticationError, StaleVersionError
from laborguard_registry.orders import Revoke
from laborguard_registry.tables import api_tokens, audit_log, order_versions, outbox
from laborguard_registry.tokens import Principal, Role, TokenBook

from .conftest import Issue

pytestmark = pytest.mark.integration

WRO = "wro-2019-hetian-taida-apparel"
OTHER = "wro-2020-hetian-haolin-hair"
Headers = dict[str, str]
OFFICER = Principal("officer-test", Role.OFFICER)


@pytest.fixture
def seeded(registry: Registry) -> Registry:
    registry.seed()
    return registry


def rows(registry: Registry, table: object) -> int:
    with registry.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def amendment(order_id: str, version: int, notes: str) -> dict[str, object]:
    return {
        "order_id": order_id,
        "expected_version": version,
        "effective": "2024-03-01",
        "changes": {"notes": notes},
    }


def test_bulk_amendments_are_each_versioned_audited_and_queued(
    seeded: Registry, client: TestClient, issue: Issue
) -> None:
    officer = issue("bulk-officer", "officer")
    before = {table.name: rows(seeded, table) for table in (order_versions, audit_log, outbox)}
    body = {
        "reason": "editorial pass",
        "amendments": [
            amendment(WRO, 1, "first"),
            amendment(OTHER, 1, "other"),
            amendment(WRO, 2, "second"),
        ],
    }
    response = client.post("/orders/amendments", json=body, headers=officer)
    assert response.status_code == 200, response.text
    assert response.json() == [
        {"order_id": WRO, "version": 2},
        {"order_id": OTHER, "version": 2},
        {"order_id": WRO, "version": 3},
    ]
    for table in (order_versions, audit_log, outbox):
        assert rows(seeded, table) == before[table.name] + 3
    assert seeded.store.current(WRO).notes == "second"
    audit = client.get(f"/audit?order_id={WRO}", headers=officer).json()
    assert [(a["version"], a["actor"], a["reason"]) for a in audit[-2:]] == [
        (2, "bulk-officer", "editorial pass"),
        (3, "bulk-officer", "editorial pass"),
    ]


def test_a_stale_bulk_amendment_rejects_the_whole_request_naming_its_position(
    seeded: Registry, client: TestClient, issue: Issue
) -> None:
    officer = issue("bulk-officer", "officer")
    before = rows(seeded, order_versions)
    body = {
        "reason": "editorial pass",
        "amendments": [amendment(OTHER, 1, "fine"), amendment(WRO, 5, "stale")],
    }
    response = client.post("/orders/amendments", json=body, headers=officer)
    assert response.status_code == 409
    assert response.json()["field"] == "amendments.1.expected_version"
    assert rows(seeded, order_versions) == before
    assert seeded.store.current(OTHER).version == 1


def test_a_viewer_cannot_bulk_amend(seeded: Registry, client: TestClient, issue: Issue) -> None:
    body = {"reason": "r", "amendments": [amendment(WRO, 1, "x")]}
    response = client.post("/orders/amendments", json=body, headers=issue("v", "viewer"))
    assert response.status_code == 403
    assert seeded.store.current(WRO).version == 1


def test_a_token_revoked_elsewhere_is_refused_once_the_cache_delay_has_passed(
    registry: Registry, issue: Issue
) -> None:
    token = issue("cached-officer", "officer")["Authorization"].removeprefix("Bearer ")
    book = TokenBook(registry.engine, registry.store, cache_seconds=1.0)
    cached_at = time.monotonic()  # the entry expires no sooner than 1 s after this
    assert book.authenticate(token).name == "cached-officer"
    with registry.engine.begin() as connection:  # as another API process would revoke it
        connection.execute(update(api_tokens).values(revoked_at=datetime.now(UTC)))
    assert book.authenticate(token).name == "cached-officer"
    while True:  # polled, not slept: refused as soon as the cached entry expires
        try:
            book.authenticate(token)
        except AuthenticationError:
            break
        assert time.monotonic() - cached_at < 10, "still accepted 10 s after its revocation"
        time.sleep(0.02)
    assert time.monotonic() - cached_at >= 1.0  # the cache was used until it expired


def test_an_unknown_order_in_a_bulk_request_gets_404_naming_its_position(
    seeded: Registry, client: TestClient, issue: Issue
) -> None:
    body = {"reason": "r", "amendments": [amendment(WRO, 1, "x"), amendment("no-such", 1, "y")]}
    response = client.post("/orders/amendments", json=body, headers=issue("o", "officer"))
    assert response.status_code == 404
    assert response.json()["field"] == "amendments.1.order_id"
    assert seeded.store.current(WRO).version == 1


def test_concurrent_async_changes_against_one_version_let_exactly_one_through(
    seeded: Registry,
) -> None:
    service = seeded.service
    audited = rows(seeded, audit_log)

    async def revoke_v1() -> str:
        revoke = Revoke(expected_version=1, effective=date(2024, 3, 1))
        change = service.change(OFFICER, WRO, revoke, "race")
        try:
            await service.apply(change)
        except StaleVersionError as exc:
            assert exc.field == "expected_version"
            return "stale"
        return "ok"

    async def race() -> list[str]:
        try:
            return sorted(await asyncio.gather(*(revoke_v1() for _ in range(4))))
        finally:
            await seeded.store.aclose()

    assert asyncio.run(race()) == ["ok", "stale", "stale", "stale"]
    assert seeded.store.current(WRO).version == 2
    assert rows(seeded, audit_log) == audited + 1
