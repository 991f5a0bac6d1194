"""/docs and /redoc load everything from the registry itself (a closed network has no CDN)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from laborguard_registry.app import build
from laborguard_registry.settings import RegistrySettings

pytestmark = pytest.mark.integration
REFERENCES = re.compile(r"""(?:src|href|url)\s*[=:]\s*["']([^"']+)["']""")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = RegistrySettings(
        database_url=f"sqlite:///{tmp_path / 'registry.sqlite3'}", kafka_bootstrap="127.0.0.1:1"
    )
    registry = build(settings)
    try:
        with TestClient(registry.app) as test_client:
            yield test_client
    finally:
        registry.close()


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_api_docs_pages_reference_only_the_registry_itself(client: TestClient, page: str) -> None:
    html = client.get(page).text
    references = REFERENCES.findall(html)
    assert references, html
    assert [ref for ref in references if not ref.startswith("/")] == []
    assert "//" not in "".join(references)
    for reference in references:
        assert client.get(reference).status_code == 200, reference


def test_redoc_bundle_names_no_public_host_for_its_logo(client: TestClient) -> None:
    bundle = client.get("/docs-assets/redoc.standalone.js")
    assert bundle.status_code == 200
    assert b"cdn.redoc.ly" not in bundle.content
