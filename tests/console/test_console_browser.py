"""The console in a real browser (Debian's chromium, headless): an officer signs in, issues an
order, a shipment it covers is screened by a real worker, the detention shows up in the work
queue with its evidence, the officer revokes the order. A screenshot of every page is kept in
var/test-artifacts/console/. Nothing is requested from any host but the registry."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from decisions.store_process import produce

from laborguard_contracts.codec import encode
from testbed.factory import shipment

from .conftest import ConsoleStack

pytestmark = pytest.mark.e2e
ORDER_ID = "console-e2e-wro-harbor"
MANUFACTURER = "Harbor Textile Works Ltd"


def test_an_officer_issues_an_order_sees_the_detention_with_evidence_and_revokes_it(
    console_stack: ConsoleStack, browser: Any, artifacts: Path
) -> None:
    stack = console_stack
    token = stack.token("officer-browser", "officer")
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.on("dialog", lambda dialog: dialog.accept())
    try:
        page.goto(f"{stack.base}/console")
        assert page.url.startswith(f"{stack.base}/console/login")
        page.fill("#f-token", "not-a-token")
        page.click("button[type=submit]")
        assert "revoked API token" in page.inner_text("#e-token")
        page.screenshot(path=artifacts / "01-sign-in-refused.png", full_page=True)
        page.fill("#f-token", token)
        page.click("button[type=submit]")
        assert page.url == f"{stack.base}/console/queue"
        assert "officer-browser (officer)" in page.inner_text("header")

        page.keyboard.press("g")  # keyboard: g o goes to the orders, / to their search field
        page.keyboard.press("o")
        page.wait_for_url(f"{stack.base}/console/orders")
        page.keyboard.press("/")
        assert page.evaluate("document.activeElement.id") == "f-entity"
        page.fill("#f-entity", "Hoshine")
        page.press("#f-entity", "Enter")
        assert "hoshine" in page.inner_text("tbody").lower()
        page.screenshot(path=artifacts / "02-orders-filtered.png", full_page=True)

        page.goto(f"{stack.base}/console/orders/new")
        page.fill("#f-order_id", ORDER_ID)
        page.fill("#f-title", "WRO: Harbor Textile Works (console test)")
        page.fill("#f-entities", MANUFACTURER)
        page.fill("#f-country", "VN")
        page.fill("#f-hts_prefixes", "61x9")
        page.fill("#f-effective", "2024-01-01")
        page.click("button:has-text('Issue order')")  # a bad HTS prefix and no reason
        assert "pattern" in page.inner_text("#e-hts_prefixes")
        assert "needs a reason" in page.inner_text("#e-reason")
        page.screenshot(path=artifacts / "03-issue-form-errors.png", full_page=True)
        page.fill("#f-hts_prefixes", "6109")
        page.fill("#f-reason", "forced labour indicators found in the investigation")
        page.click("button:has-text('Issue order')")
        assert page.url.startswith(f"{stack.base}/console/orders/{ORDER_ID}")
        assert "Issued" in page.inner_text(".flash")
        page.screenshot(path=artifacts / "04-order-issued.png", full_page=True)

        _wait_for_orders(stack, 95)  # the worker holds the new order (94 seeded + 1)
        event = shipment(9001, manufacturer=MANUFACTURER, country="VN")
        records = [(event.shipment_id.encode(), encode(event))]
        # Playwright's sync API runs an event loop in this thread: produce from another one
        with ThreadPoolExecutor(1) as thread:
            thread.submit(
                asyncio.run, produce(stack.bootstrap, stack.topics.shipments, records)
            ).result()

        page.goto(f"{stack.base}/console/queue")
        deadline = time.monotonic() + 30
        while event.shipment_id not in page.inner_text("tbody"):
            assert time.monotonic() < deadline, "the detention never reached the work queue"
            time.sleep(0.5)
            page.reload()
        row = page.locator("tbody tr", has_text=event.shipment_id)
        assert "DETAIN" in row.inner_text()
        assert ORDER_ID in row.inner_text()
        page.screenshot(path=artifacts / "05-work-queue.png", full_page=True)

        row.locator(f"a:has-text('{event.shipment_id}')").click()
        evidence = page.inner_text("table.evidence")
        assert MANUFACTURER in evidence
        assert "lines[0].manufacturer.name" in evidence or "manufacturer" in evidence
        assert "Pacific Apparel Imports LLC" in page.inner_text("dl.facts")
        assert f"{ORDER_ID} version 1" in page.inner_text("section h3")
        page.screenshot(path=artifacts / "06-shipment-evidence.png", full_page=True)

        page.click(f"section h3 a:has-text('{ORDER_ID}')")
        assert event.shipment_id in page.inner_text("#h-detained + table")
        revoke = page.locator("form[action$='/revoke']")
        revoke.locator("input[name=reason]").fill("investigation closed: supply chain remediated")
        revoke.locator("button").click()
        assert "Revoked" in page.inner_text(".flash")
        assert "revoked" in page.inner_text("dl.facts")
        audit = page.inner_text("#h-audit + table")
        assert "order_revoked" in audit and "officer-browser" in audit
        page.screenshot(path=artifacts / "07-order-revoked.png", full_page=True)
    finally:
        page.close()


@pytest.mark.parametrize(
    ("path", "ready", "name"),
    [
        ("/docs", ".swagger-ui .info .title", "08-docs.png"),
        ("/redoc", "h1:has-text('laborguard registry')", "09-redoc.png"),
        ("/console/orders", "h1:has-text('Orders')", "10-console-orders.png"),
        ("/console/decisions", "h1:has-text('Decisions')", "11-console-decisions.png"),
        ("/console/import", "h1:has-text('Import')", "12-console-import.png"),
    ],
)
def test_pages_load_nothing_from_any_host_but_the_registry(
    console_stack: ConsoleStack, browser: Any, artifacts: Path, path: str, ready: str, name: str
) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    requested: list[str] = []
    elsewhere: list[str] = []

    def watch(route: Any) -> None:
        url = route.request.url
        requested.append(url)
        if url.startswith(console_stack.base) or url.startswith("data:"):
            route.continue_()
        else:
            elsewhere.append(url)
            route.abort()

    context.route("**/*", watch)
    page = context.new_page()
    try:
        if path.startswith("/console"):
            page.goto(f"{console_stack.base}/console/login")
            page.fill("#f-token", console_stack.token(f"viewer-{name[:2]}", "viewer"))
            page.click("button[type=submit]")
        page.goto(f"{console_stack.base}{path}")
        page.wait_for_selector(ready, timeout=20_000)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=artifacts / name, full_page=path.startswith("/console"))
    finally:
        context.close()
    assert elsewhere == []
    assert any(url.endswith(".js") for url in requested), requested


def _wait_for_orders(stack: ConsoleStack, count: int, within: float = 20.0) -> None:
    deadline = time.monotonic() + within
    while (state := stack.worker.readiness()) is None or state["orders"] < count:
        assert time.monotonic() < deadline, f"worker holds {state} orders, expected {count}"
        time.sleep(0.1)
