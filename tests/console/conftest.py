"""A real stack for the console's browser tests: the registry (SQLite, seeded), a screener worker
and the decisions store as processes on the session broker; Debian's chromium through
Playwright (no browser download)."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from decisions.store_process import StoreProcess

from laborguard_contracts.topics import ScreeningTopics
from laborguard_platform.embedded_broker import free_port
from testbed.harness import Worker

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "var" / "test-artifacts" / "console"
CHROMIUM = os.environ.get("LABORGUARD_TEST_CHROMIUM", "/usr/bin/chromium")
REGISTRY = Path(sys.executable).parent / "laborguard"
ADMIN = "console-test-admin-token-0123"


@dataclass(frozen=True)
class ConsoleStack:
    base: str
    bootstrap: str
    topics: ScreeningTopics
    worker: Worker
    store: StoreProcess

    def token(self, name: str, role: str) -> str:
        body = {"name": name, "role": role, "reason": "console browser test"}
        headers = {"Authorization": f"Bearer {ADMIN}"}
        response = httpx.post(f"{self.base}/tokens", json=body, headers=headers, timeout=10)
        assert response.status_code == 201, response.text
        token: str = response.json()["token"]
        return token


@pytest.fixture(scope="module")
def console_stack(
    bootstrap: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ConsoleStack]:
    workdir = tmp_path_factory.mktemp("console")
    topics = ScreeningTopics.named(workdir.name)
    asyncio.run(topics.create(bootstrap))
    database = f"sqlite:///{workdir / 'registry.sqlite3'}"
    port = free_port()
    env = {
        **os.environ,
        "LABORGUARD_KAFKA_BOOTSTRAP": bootstrap,
        "LABORGUARD_REGISTRY_DATABASE_URL": database,
        "LABORGUARD_REGISTRY_PORT": str(port),
        "LABORGUARD_REGISTRY_ADMIN_TOKEN": ADMIN,
        "LABORGUARD_REGISTRY_ORDERS_TOPIC": topics.orders,
        "LABORGUARD_REGISTRY_SEED_ON_START": "true",
        "LABORGUARD_REGISTRY_RELAY_POLL_SECONDS": "0.05",
    }
    with (workdir / "registry.log").open("ab") as log:
        registry = subprocess.Popen(
            [str(REGISTRY), "registry"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    store = StoreProcess(bootstrap, topics, database, workdir / "store.log")
    worker = Worker(bootstrap, topics, f"{workdir.name}-group", "console-worker", workdir)
    try:
        _wait_ready(base, registry, workdir / "registry.log")
        store.start()
        worker.start().wait_ready(60)
        yield ConsoleStack(base, bootstrap, topics, worker, store)
    finally:
        worker.stop()
        store.stop()
        registry.terminate()
        try:
            registry.wait(15)
        except subprocess.TimeoutExpired:
            registry.kill()
            registry.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if shutil.which(CHROMIUM) is None and not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: `make system-deps` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def _wait_ready(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text(errors="replace")[-4000:]
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"registry not ready\n{log.read_text(errors='replace')[-4000:]}")
