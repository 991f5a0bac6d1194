"""Issue 12: no write path around the lifecycle rules, strict wire types, no 500 on any input.
Every body runs against SQLite and PostgreSQL: the two backends must answer alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from laborguard_contracts.codec import dumps
from laborguard_contracts.seed import load_seed
from laborguard_registry.app import Registry

pytestmark = pytest.mark.integration

ORDER = "wro-2019-hetian-taida-apparel"
Headers = dict[str, str]
Issue = Callable[[str, str], Headers]
CSV_HEADER = (
    "Country,Entity,Merchandise,Industry,Status,WRO/Finding,Effective Date,Remarks,Press Release\n"
)


@pytest.fixture
def seeded(registry: Registry) -> Registry:
    registry.seed()
    return registry


@pytest.fixture
def officer(issue: Issue) -> Headers:
    return issue("officer-1", "officer")


def seed_document(order_id: str = ORDER, **changes: Any) -> dict[str, Any]:
    order = next(o for o in load_seed() if o.order_id == order_id)
    document: dict[str, Any] = order.model_dump(mode="json", exclude_none=True)
    document.update(changes)
    return document


def refused(response: Any, status: int, field: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["field"] == field, response.text


# --- finding 1: an import cannot rewrite history ------------------------------------------


def test_import_cannot_rewrite_the_history_of_an_existing_order(
    seeded: Registry, client: TestClient, officer: Headers
) -> None:
    history = [{"kind": "in_force", "effective": "1990-01-01"}]
    forged = seed_document(kind="finding", action="seize", timeline=history)
    response = client.post("/imports?reason=oops", content=dumps([forged]), headers=officer)
    assert response.status_code == 409, response.text
    assert response.json()["error"] == "conflict"
    assert response.json()["field"] == "[0].kind"
    current = client.get(f"/orders/{ORDER}", headers=officer).json()
    assert len(current["versions"]) == 1 and current["current"]["kind"] == "wro"


def test_import_of_an_identical_existing_order_is_a_no_op(
    seeded: Registry, client: TestClient, officer: Headers
) -> None:
    response = client.post(
        "/imports?reason=again", content=dumps([seed_document()]), headers=officer
    )
    assert response.json() == {"created": [], "amended": [], "unchanged": 1}


def test_import_refuses_an_edited_existing_order_naming_the_field(
    seeded: Registry, client: TestClient, officer: Headers
) -> None:
    edited = seed_document(notes="rewritten behind the lifecycle's back")
    response = client.post("/imports?reason=edit", content=dumps([edited]), headers=officer)
    refused(response, 409, "[0].notes")


def test_create_refuses_escalated_from(
    registry: Registry, client: TestClient, officer: Headers
) -> None:
    draft = seed_document(
        order_id="wro-2020-top-glove", escalated_from="wro-2019-hetian-taida-apparel"
    )
    draft["order_id"] = "finding-new"
    response = client.post("/orders", json={"order": draft, "reason": "r"}, headers=officer)
    refused(response, 422, "order.escalated_from")


def test_import_refuses_escalated_from_naming_no_wro(
    registry: Registry, client: TestClient, officer: Headers
) -> None:
    draft = seed_document(order_id="wro-2020-top-glove", escalated_from="no-such-wro")
    draft["order_id"] = "finding-new"
    response = client.post("/imports?reason=r", content=dumps([draft]), headers=officer)
    refused(response, 422, "[0].escalated_from")


# --- finding 2: strict wire types, on both backends alike -----------------------------------


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"expected_version": True}, "expected_version"),
        ({"expected_version": "1"}, "expected_version"),
        ({"expected_version": 1.0}, "expected_version"),
        ({"effective": 1735689600}, "effective"),  # lax: 2025-01-01 as epoch seconds
        ({"reason": "\u200b"}, "reason"),
        ({"reason": "\u2060\u200d"}, "reason"),
        ({"reason": "why\x00"}, "reason"),
        ({"note": "n\x00"}, "note"),
    ],
)
def test_revocation_bodies_are_strict(
    seeded: Registry, client: TestClient, officer: Headers, patch: dict[str, Any], field: str
) -> None:
    body = {"expected_version": 1, "effective": "2024-03-01", "reason": "CBP lifted it", **patch}
    refused(client.post(f"/orders/{ORDER}/revoke", json=body, headers=officer), 422, field)


@pytest.mark.parametrize(
    "order_id", ["a/b-1", "WRO-NEW", "wro-new\x00", "wro\u200bnew", "wro\u202enew"]
)
def test_created_order_ids_are_lowercase_slugs(
    registry: Registry, client: TestClient, officer: Headers, order_id: str
) -> None:
    body = {"order": seed_document(order_id=ORDER) | {"order_id": order_id}, "reason": "r"}
    refused(client.post("/orders", json=body, headers=officer), 422, "order.order_id")


@pytest.mark.parametrize("prefix", ["٨٤٧١", "８４７１"])
def test_amended_hts_prefixes_need_ascii_digits(
    seeded: Registry, client: TestClient, officer: Headers, prefix: str
) -> None:
    body = {
        "expected_version": 1,
        "effective": "2024-03-01",
        "reason": "r",
        "changes": {"hts_prefixes": [prefix]},
    }
    refused(
        client.post(f"/orders/{ORDER}/amend", json=body, headers=officer),
        422,
        "changes.hts_prefixes.0",
    )


def test_nul_in_identifiers_gets_422_not_500(
    seeded: Registry, client: TestClient, officer: Headers
) -> None:
    escalate = {
        "expected_version": 1,
        "effective": "2024-03-01",
        "reason": "r",
        "finding_id": "finding-\x00",
    }
    refused(
        client.post(f"/orders/{ORDER}/escalate", json=escalate, headers=officer), 422, "finding_id"
    )
    refused(client.get("/orders/wro%00x", headers=officer), 422, "path.order_id")
    refused(client.get("/audit?order_id=a%00", headers=officer), 422, "query.order_id")
    grant = {"expected_version": 1, "effective": "2024-03-01", "reason": "r", "party": "A\x00"}
    refused(client.post(f"/orders/{ORDER}/exemptions", json=grant, headers=officer), 422, "party")
    refused(
        client.post("/imports", params={"reason": "r\x00"}, content=b"[]", headers=officer),
        422,
        "reason",
    )


# --- finding 4: no 500 on input -------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/audit", {"after": "9223372036854775808"}, "after"),
        ("/as-of", {"at": "2024-01-01", "known_at": "9999-12-31T23:00:00-14:00"}, "known_at"),
        ("/as-of", {"at": "2024-01-01", "known_at": "0001-01-01T00:00:00+14:00"}, "known_at"),
        ("/as-of", {"at": "2024-01-01", "known_at": "2.2e-313"}, "known_at"),
        ("/as-of", {"at": "0"}, "at"),
    ],
)
def test_out_of_range_queries_get_422_naming_the_field(
    seeded: Registry,
    client: TestClient,
    officer: Headers,
    path: str,
    params: dict[str, str],
    field: str,
) -> None:
    refused(client.get(path, params=params, headers=officer), 422, f"query.{field}")


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("China,Acme,Hair,Apparel,Active,WRO,05/01/2020,,,extra\n", "line 2"),
        ("China,Acme," + "x" * 140_000 + ",Apparel,Active,WRO,05/01/2020,,\n", "line 2"),
    ],
)
def test_malformed_cbp_csv_gets_422_naming_the_line(
    registry: Registry, client: TestClient, officer: Headers, row: str, field: str
) -> None:
    headers = {**officer, "content-type": "text/csv"}
    response = client.post("/imports?reason=cbp", content=CSV_HEADER + row, headers=headers)
    refused(response, 422, field)


def test_method_not_allowed_names_the_allowed_methods(client: TestClient, officer: Headers) -> None:
    response = client.delete("/orders", headers=officer)
    assert response.status_code == 405
    assert "GET" in response.headers["allow"]


def test_no_redirect_is_built_from_the_host_header(client: TestClient, officer: Headers) -> None:
    response = client.get(
        "/orders/", headers={**officer, "host": "evil.example"}, follow_redirects=False
    )
    assert response.status_code == 404
    assert "location" not in response.headers


def test_openapi_lists_every_error_status_with_the_error_body(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    revoke = document["paths"]["/orders/{order_id}/revoke"]["post"]["responses"]
    assert {"401", "403", "404", "409", "413", "422"} <= set(revoke)
    assert revoke["409"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorBody"
    }
    assert {"401", "403", "409", "422"} <= set(document["paths"]["/tokens"]["post"]["responses"])
