"""Issue 12, finding 5: token names, expiry, the bootstrap token, failed authentication;
paging; cheap metrics."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from laborguard_registry.app import Registry, build
from laborguard_registry.settings import RegistrySettings

from .conftest import bearer

pytestmark = pytest.mark.integration

Headers = dict[str, str]


def issue(client: TestClient, admin: Headers, name: str, **extra: object) -> object:
    body = {"name": name, "role": "admin", "reason": "test set-up", **extra}
    return client.post("/tokens", json=body, headers=admin)


@pytest.mark.parametrize("name", ["bootstrap-admin", "seed-import", "Bootstrap-Admin"])
def test_tokens_cannot_take_the_names_the_registry_acts_under(
    client: TestClient, admin: Headers, name: str
) -> None:
    response = issue(client, admin, name)
    assert response.status_code == 422, response.text  # type: ignore[attr-defined]
    assert response.json()["field"] == "name"  # type: ignore[attr-defined]


def test_a_token_is_refused_once_it_expires(
    registry: Registry, client: TestClient, admin: Headers
) -> None:
    soon = (datetime.now(UTC) + timedelta(seconds=1.5)).isoformat()
    response = issue(client, admin, "short-lived", expires_at=soon)
    headers = bearer(response.json()["token"])  # type: ignore[attr-defined]
    assert client.get("/tokens", headers=headers).status_code == 200
    time.sleep(2.0)  # past its expiry, though within the token cache's 5 s
    assert client.get("/tokens", headers=headers).status_code == 401
    past = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()
    refused = issue(client, admin, "already-expired", expires_at=past)
    assert refused.json()["field"] == "expires_at"  # type: ignore[attr-defined]


def test_the_bootstrap_token_can_be_revoked_once_an_admin_exists(
    registry: Registry, client: TestClient, admin: Headers
) -> None:
    own = bearer(issue(client, admin, "first-admin").json()["token"])  # type: ignore[attr-defined]
    revoked = client.post("/tokens/bootstrap-admin/revoke", json={"reason": "set up"}, headers=own)
    assert revoked.status_code == 204, revoked.text
    assert client.get("/tokens", headers=admin).status_code == 401
    assert client.get("/tokens", headers=own).status_code == 200
    actions = [r["action"] for r in client.get("/audit", headers=own).json()]
    assert actions == ["token_issued", "token_revoked"]


@pytest.fixture
def strict_client(settings: RegistrySettings) -> Iterator[TestClient]:
    built = build(settings.model_copy(update={"auth_failures_per_minute": 3}))
    try:
        with TestClient(built.app, raise_server_exceptions=False) as test_client:
            yield test_client
    finally:
        built.close()


def test_failed_authentication_is_logged_without_the_token_and_throttled(
    strict_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "lg_not-a-real-token-but-secret"
    with caplog.at_level(logging.WARNING):
        statuses = [strict_client.get("/orders", headers=bearer(secret)).status_code
                    for _ in range(4)]  # fmt: skip
    assert statuses == [401, 401, 401, 429]
    throttled = strict_client.get("/orders", headers=bearer(secret))
    assert int(throttled.headers["retry-after"]) > 0
    failures = [r.getMessage() for r in caplog.records if "failed authentication" in r.getMessage()]
    assert len(failures) == 3 and "testclient" in failures[0]
    assert all(secret not in message for message in caplog.messages)


def test_orders_and_the_audit_log_come_a_page_at_a_time(
    registry: Registry, client: TestClient, admin: Headers
) -> None:
    registry.seed()
    first = client.get("/orders", params={"limit": 40}, headers=admin)
    assert len(first.json()) == 40
    seen = [state["order"]["order_id"] for state in first.json()]
    link = first.headers["link"]
    assert link.startswith("</orders?") and link.endswith('>; rel="next"')
    after = client.get(link[1 : link.index(">")], headers=admin)
    seen += [state["order"]["order_id"] for state in after.json()]
    rest = client.get(after.headers["link"][1 : after.headers["link"].index(">")], headers=admin)
    seen += [state["order"]["order_id"] for state in rest.json()]
    assert "link" not in rest.headers
    assert seen == sorted(seen) and len(set(seen)) == 94
    assert len(client.get("/orders", headers=admin).json()) == 94  # existing clients: one page
    audit = client.get("/audit", params={"limit": 90}, headers=admin)
    assert len(audit.json()) == 90 and "after=90" in audit.headers["link"]


def test_metrics_count_orders_at_most_every_few_seconds(
    registry: Registry, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted: list[int] = []
    original: Callable[[], object] = registry.store.all_current
    monkeypatch.setattr(registry.store, "all_current", lambda: counted.append(1) or original())
    for _ in range(20):
        assert client.get("/metrics").status_code == 200
    assert len(counted) == 1
