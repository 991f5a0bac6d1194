"""The HTTP API against SQLite and PostgreSQL (same bodies)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from laborguard_contracts.codec import dumps
from laborguard_contracts.seed import load_seed
from laborguard_registry.app import Registry
from laborguard_registry.errors import StaleVersionError
from laborguard_registry.orders import OrderStatus, Revoke, status_at
from laborguard_registry.tables import api_tokens, order_versions, outbox
from laborguard_registry.tokens import Principal, Role

pytestmark = pytest.mark.integration

ORDER = "wro-2019-hetian-taida-apparel"
OFFICER = Principal("officer-test", Role.OFFICER)


@pytest.fixture
def seeded(registry: Registry) -> Registry:
    registry.seed()
    return registry


Headers = dict[str, str]
Issue = Callable[[str, str], Headers]


@pytest.fixture
def officer(issue: Issue) -> Headers:
    return issue("officer-1", "officer")


def count(registry: Registry, table: object) -> int:
    with registry.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def revoke(client: TestClient, headers: Headers, version: int = 1) -> object:
    body = {"expected_version": version, "effective": "2024-03-01", "reason": "CBP lifted it"}
    return client.post(f"/orders/{ORDER}/revoke", json=body, headers=headers)


def test_missing_token_gets_401(seeded: Registry, client: TestClient) -> None:
    response = client.get("/orders")
    assert response.status_code == 401
    assert response.json()["error"] == "unauthenticated"


def test_unknown_token_gets_401(seeded: Registry, client: TestClient) -> None:
    assert (
        client.get("/orders", headers={"Authorization": "Bearer lg_not-a-token"}).status_code == 401
    )


def test_viewer_reads_but_cannot_write(seeded: Registry, client: TestClient, issue: Issue) -> None:
    viewer = issue("viewer-1", "viewer")
    assert client.get(f"/orders/{ORDER}", headers=viewer).status_code == 200
    response = revoke(client, viewer)
    assert response.status_code == 403
    assert client.get(f"/orders/{ORDER}", headers=viewer).json()["current"]["version"] == 1


def test_officer_cannot_issue_tokens(client: TestClient, officer: Headers) -> None:
    body = {"name": "sneaky", "role": "admin", "reason": "promote myself"}
    assert client.post("/tokens", json=body, headers=officer).status_code == 403


def test_tokens_are_stored_as_digests_only(registry: Registry, issue: Issue) -> None:
    token = issue("viewer-2", "viewer")["Authorization"].removeprefix("Bearer ")
    with registry.engine.connect() as connection:
        stored = connection.execute(select(api_tokens.c.token_hash)).scalars().all()
    assert token not in stored and len(stored) == 1 and len(stored[0]) == 64


def test_revoked_token_no_longer_authenticates(
    client: TestClient, issue: Issue, admin: Headers
) -> None:
    viewer = issue("viewer-3", "viewer")
    body = {"reason": "left the team"}
    response = client.post("/tokens/viewer-3/revoke", json=body, headers=admin)
    assert response.status_code == 204
    assert client.get("/orders", headers=viewer).status_code == 401


def test_stale_version_gets_409_and_changes_nothing(
    seeded: Registry, client: TestClient, officer: Headers
) -> None:
    assert revoke(client, officer, version=1).status_code == 200
    response = revoke(client, officer, version=1)
    assert response.status_code == 409
    assert response.json()["field"] == "expected_version"
    assert len(client.get(f"/orders/{ORDER}", headers=officer).json()["versions"]) == 2


def test_unknown_order_gets_404(seeded: Registry, client: TestClient, officer: Headers) -> None:
    assert client.get("/orders/no-such-order", headers=officer).status_code == 404
    body = {"expected_version": 1, "effective": "2024-03-01", "reason": "r"}
    assert client.post("/orders/nope/revoke", json=body, headers=officer).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"expected_version": 1, "effective": "2024-03-01"}, "reason"),
        ({"expected_version": 1, "effective": "not-a-date", "reason": "r"}, "effective"),
        ({"expected_version": 0, "effective": "2024-03-01", "reason": "r"}, "expected_version"),
        ({"expected_version": 1, "effective": "2024-03-01", "reason": "  "}, "reason"),
    ],
)
def test_bad_input_gets_422_naming_the_field(
    seeded: Registry, client: TestClient, officer: Headers, body: dict[str, object], field: str
) -> None:
    response = client.post(f"/orders/{ORDER}/revoke", json=body, headers=officer)
    assert response.status_code == 422
    assert response.json()["field"] == field


def test_invalid_amendment_gets_422_naming_the_order_field(
    seeded: Registry, client: TestClient, officer: Headers
) -> None:
    body = {"expected_version": 1, "effective": "2024-03-01", "reason": "r",
            "changes": {"region": "Xinjiang"}}  # fmt: skip
    response = client.post(f"/orders/{ORDER}/amend", json=body, headers=officer)
    assert response.status_code == 422
    assert response.json()["field"] == "changes.region"


def test_oversized_request_gets_413(client: TestClient, officer: Headers) -> None:
    body = b"[" + b" " * (6 * 1024 * 1024) + b"]"
    response = client.post("/imports?reason=big", content=body, headers=officer)
    assert response.status_code == 413
    assert "Traceback" not in response.text


def test_created_order_gets_version_one_and_is_published_through_the_outbox(
    registry: Registry, client: TestClient, officer: Headers
) -> None:
    draft = load_seed()[0].model_copy(update={"order_id": "wro-new", "version": 7})
    body = {"order": draft.model_dump(mode="json"), "reason": "new WRO announced"}
    response = client.post("/orders", json=body, headers=officer)
    assert response.status_code == 201
    assert response.json()["version"] == 1 and response.json()["updated_at"]
    assert client.post("/orders", json=body, headers=officer).status_code == 409
    assert count(registry, outbox) == 1


def test_importing_the_same_seed_twice_changes_nothing(
    registry: Registry, client: TestClient, officer: Headers
) -> None:
    seed = dumps([order.model_dump(mode="json") for order in load_seed()])
    first = client.post("/imports?reason=initial+load", content=seed, headers=officer)
    assert len(first.json()["created"]) == 94
    rows = (count(registry, order_versions), count(registry, outbox))
    second = client.post("/imports?reason=initial+load", content=seed, headers=officer)
    assert second.json() == {"created": [], "amended": [], "unchanged": 94}
    assert (count(registry, order_versions), count(registry, outbox)) == rows == (94, 94)


def test_importing_the_same_cbp_csv_twice_changes_nothing(
    registry: Registry, client: TestClient, officer: Headers
) -> None:
    csv_text = (
        "Country,Entity,Merchandise,Industry,Status,WRO/Finding,Effective Date,Remarks,"
        "Press Release\nChina,Hetian Haolin Hair Accessories Co. Ltd.,Hair products,Apparel,"
        "Active,WRO,05/01/2020,,\n"
    )
    headers = {**officer, "content-type": "text/csv"}
    assert (
        len(client.post("/imports?reason=cbp", content=csv_text, headers=headers).json()["created"])
        == 1
    )
    again = client.post("/imports?reason=cbp", content=csv_text, headers=headers).json()
    assert again == {"created": [], "amended": [], "unchanged": 1}
    assert count(registry, outbox) == 1


def test_as_of_queries_across_a_revocation(
    seeded: Registry, client: TestClient, officer: Headers
) -> None:
    before_revocation = datetime.now(UTC).isoformat()
    assert revoke(client, officer).status_code == 200

    def status(at: str, known_at: str | None = None) -> str:
        params = {"at": at, **({"known_at": known_at} if known_at else {})}
        states = client.get("/as-of", params=params, headers=officer).json()
        assert len(states) == 94
        return next(s["status"] for s in states if s["order"]["order_id"] == ORDER)

    assert status("2024-02-29") == "in_force"
    assert status("2024-03-01") == "revoked"
    assert status("2019-09-29") == "pending"
    # As the registry knew it before the revocation was recorded: still in force.
    assert status("2024-03-01", known_at=before_revocation) == "in_force"
    in_force = client.get("/orders", params={"in_force_at": "2024-03-01"}, headers=officer).json()
    assert ORDER not in {s["order"]["order_id"] for s in in_force}


def test_every_write_is_in_the_audit_log_with_who_and_why(
    seeded: Registry, client: TestClient, officer: Headers
) -> None:
    revoke(client, officer)
    records = client.get("/audit", params={"order_id": ORDER}, headers=officer).json()
    assert [(r["actor"], r["action"], r["version"]) for r in records] == [
        ("seed-import", "order_imported", 1),
        ("officer-1", "order_revoked", 2),
    ]
    assert records[1]["reason"] == "CBP lifted it"


def test_audit_log_refuses_updates_and_deletes(seeded: Registry) -> None:
    for statement in ("UPDATE audit_log SET reason = 'forged'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError), seeded.engine.begin() as connection:
            connection.execute(text(statement))


def test_republish_queues_every_current_order(
    seeded: Registry, client: TestClient, officer: Headers, admin: Headers
) -> None:
    body = {"reason": "rebuild the topic"}
    assert client.post("/republish", json=body, headers=officer).status_code == 403
    response = client.post("/republish", json=body, headers=admin)
    assert response.json() == {"queued": 94}
    assert count(seeded, outbox) == 188


def test_operations_endpoints_answer(seeded: Registry, client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").status_code == 200
    assert client.get("/openapi.json").json()["info"]["title"] == "laborguard registry"
    today = datetime.now(UTC).date()
    listed = [o for o in load_seed() if o.kind.value == "entity_list"]
    in_force = sum(1 for o in listed if status_at(o, today) is OrderStatus.IN_FORCE)
    exposition = client.get("/metrics").text
    assert f'registry_orders{{kind="entity_list",status="in_force"}} {in_force:.1f}' in exposition
    assert "registry_http_requests_total{" in exposition


def test_as_of_without_a_utc_offset_gets_422(
    seeded: Registry, client: TestClient, officer: Headers
) -> None:
    params = {"at": "2024-03-01", "known_at": "2024-03-01T00:00:00"}
    response = client.get("/as-of", params=params, headers=officer)
    assert response.status_code == 422 and response.json()["field"] == "query.known_at"


def test_concurrent_writes_against_one_version_let_exactly_one_through(seeded: Registry) -> None:
    def revoke_v1(_: int) -> str:
        try:
            revoke = Revoke(expected_version=1, effective=date(2024, 3, 1))
            seeded.service.store(seeded.service.change(OFFICER, ORDER, revoke, "race"))
        except StaleVersionError:
            return "stale"
        return "ok"

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = sorted(pool.map(revoke_v1, range(4)))
    assert outcomes == ["ok", "stale", "stale", "stale"]
    assert seeded.store.current(ORDER).version == 2


def test_internal_failure_gets_500_without_a_stack_trace(
    seeded: Registry, client: TestClient, officer: Headers
) -> None:
    with seeded.engine.begin() as connection:
        connection.execute(text("DROP TABLE order_versions"))
    response = client.get(f"/orders/{ORDER}", headers=officer)
    assert response.status_code == 500
    assert response.json()["error"] == "internal"
    assert "Traceback" not in response.text and "order_versions" not in response.text
