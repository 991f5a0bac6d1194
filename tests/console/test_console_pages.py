"""The console's pages over the registry's service, roles and errors (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from laborguard_registry.app import Registry, build
from laborguard_registry.settings import RegistrySettings

pytestmark = pytest.mark.integration
ADMIN = "console-pages-admin-token-01"
CSV = (
    "Country,Entity,Merchandise,Industry,Status,WRO/Finding,Effective Date,Remarks,Press Release\n"
    "China,Console Test Garments Co. Ltd.,Garments,Apparel,Active,WRO,05/01/2020,,\n"
)


@pytest.fixture(params=["sqlite", "postgresql"])
def registry(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Registry]:
    url = (
        f"sqlite:///{tmp_path / 'registry.sqlite3'}"
        if request.param == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    built = build(RegistrySettings(database_url=url, kafka_bootstrap="127.0.0.1:1",
                                   admin_token=ADMIN))  # fmt: skip
    built.seed()
    try:
        yield built
    finally:
        built.close()


def signed_in(registry: Registry, role: str) -> TestClient:
    client = TestClient(registry.app, base_url="http://console.test")
    if role == "admin":
        token = ADMIN
    else:
        body = {"name": f"{role}-1", "role": role, "reason": "test"}
        issued = client.post("/tokens", json=body, headers={"Authorization": f"Bearer {ADMIN}"})
        token = issued.json()["token"]
    assert client.post("/console/login", data={"token": token}).status_code == 200
    return client


def versions(registry: Registry, order_id: str) -> int:
    return len(registry.service.get(order_id).versions)


def test_without_a_token_every_page_sends_to_the_sign_in_form(registry: Registry) -> None:
    client = TestClient(registry.app, base_url="http://console.test")
    response = client.get("/console/orders?kind=wro", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/console/login?next=/console/orders%3Fkind%3Dwro"


def test_a_viewer_reads_but_cannot_act(registry: Registry) -> None:
    client = signed_in(registry, "viewer")
    order = registry.service.get("wro-2021-hoshine-silicon").current
    page = client.get(f"/console/orders/{order.order_id}").text
    assert "Hoshine" in page and "Act on this order" not in page
    form = {"expected_version": str(order.version), "effective": "2026-01-01", "reason": "x"}
    refused = client.post(f"/console/orders/{order.order_id}/revoke", data=form)
    assert refused.status_code == 422
    assert "viewer-1 is a viewer; this needs officer" in refused.text
    assert versions(registry, order.order_id) == order.version


def test_a_stale_form_shows_the_version_error_and_changes_nothing(registry: Registry) -> None:
    client = signed_in(registry, "officer")
    order = registry.service.get("wro-2021-hoshine-silicon").current
    form = {"expected_version": str(order.version - 1 or 99), "effective": "2026-01-01",
            "title": "Renamed", "reason": "typo"}  # fmt: skip
    response = client.post(f"/console/orders/{order.order_id}/amend", data=form)
    assert response.status_code == 422
    assert "expected_version" in response.text
    assert versions(registry, order.order_id) == order.version


def test_a_form_from_another_site_is_refused(registry: Registry) -> None:
    client = signed_in(registry, "officer")
    form = {"expected_version": "1", "effective": "2026-01-01", "reason": "x"}
    response = client.post("/console/orders/wro-2021-hoshine-silicon/revoke", data=form,
                           headers={"Origin": "http://elsewhere.example"})  # fmt: skip
    assert response.status_code == 403


def test_an_import_is_previewed_before_anything_is_stored(registry: Registry) -> None:
    client = signed_in(registry, "officer")
    before = registry.store.count()
    preview = client.post("/console/import", data={"format": "cbp-csv"},
                          files={"file": ("wro.csv", CSV.encode(), "text/csv")})  # fmt: skip
    assert preview.status_code == 200
    assert "<strong>1</strong> to create" in preview.text
    assert registry.store.count() == before
    form = {"format": "cbp-csv", "apply": "yes", "content": CSV, "reason": "monthly list"}
    applied = client.post("/console/import", data=form)
    assert "Imported: 1 created" in applied.text
    assert registry.store.count() == before + 1


def test_only_an_admin_manages_tokens(registry: Registry) -> None:
    assert (
        "managing tokens needs admin" in signed_in(registry, "officer").get("/console/tokens").text
    )
    admin = signed_in(registry, "admin")
    issued = admin.post(
        "/console/tokens", data={"name": "clerk", "role": "viewer", "reason": "new"}
    )
    token = issued.text.split('id="issued-token">')[1].split("<")[0]
    listed = TestClient(registry.app).get("/orders", headers={"Authorization": f"Bearer {token}"})
    assert listed.status_code == 200


@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        ("hts=8541", "wro-2021-hoshine-silicon", "finding-2021-top-glove"),
        ("region=CN-XJ", "wro-2021-hoshine-silicon", "finding-2021-top-glove"),
        ("entity=top+glove&kind=finding", "finding-2021-top-glove", "wro-2021-hoshine-silicon"),
    ],
)
def test_orders_filter_by_hts_region_entity_and_kind(
    registry: Registry, query: str, expected: str, absent: str
) -> None:
    page = signed_in(registry, "viewer").get(f"/console/orders?{query}").text
    assert expected in page and absent not in page
