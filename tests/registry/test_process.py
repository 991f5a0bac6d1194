"""The console command as a process: SIGKILL while the relay is draining loses nothing."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, create_engine, func, select

from laborguard_contracts import Order
from laborguard_platform.embedded_broker import free_port
from laborguard_registry.tables import order_versions, outbox

pytestmark = pytest.mark.integration

Messages = list[tuple[str, Order]]
TopicReader = Callable[..., Awaitable[Messages]]
COMMAND = [str(Path(sys.executable).parent / "laborguard"), "registry"]
ADMIN = "process-test-admin-token-42"
HEADER = (
    "Country,Entity,Merchandise,Industry,Status,WRO/Finding,Effective Date,Remarks,Press Release"
)


@contextmanager
def registry_process(env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(COMMAND, env={**os.environ, **env})
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_healthy(base: str, within: float = 30.0) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"registry at {base} not healthy after {within}s")


def outbox_progress(engine: Engine) -> tuple[int, int]:
    query = select(func.count(outbox.c.sent_at), func.count())
    with engine.connect() as connection:
        sent, total = connection.execute(query).one()
    return int(sent), int(total)


def cbp_csv(rows: int) -> str:
    lines = [
        f"China,Test Manufacturer {n} Co. Ltd.,Product {n},Apparel,Active,WRO,05/01/2020,,"
        for n in range(rows)
    ]
    return "\n".join((HEADER, *lines)) + "\n"


def kill_while_draining(engine: Engine, process: subprocess.Popen[bytes]) -> tuple[int, int]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        sent, total = outbox_progress(engine)
        if 0 < sent < total:
            process.send_signal(signal.SIGKILL)
            process.wait()
            return outbox_progress(engine)
        time.sleep(0.01)
    raise AssertionError("the relay never got under way")


def committed(engine: Engine) -> set[tuple[str, int]]:
    with engine.connect() as connection:
        rows = connection.execute(select(order_versions.c.order_id, order_versions.c.version))
        return {(row.order_id, row.version) for row in rows}


def test_sigkill_during_relay_loses_no_committed_change(
    database_url: str, bootstrap: str, unique_name: str, topic_reader: TopicReader
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        "LABORGUARD_REGISTRY_DATABASE_URL": database_url,
        "LABORGUARD_KAFKA_BOOTSTRAP": bootstrap,
        "LABORGUARD_REGISTRY_PORT": str(port),
        "LABORGUARD_REGISTRY_ADMIN_TOKEN": ADMIN,
        "LABORGUARD_REGISTRY_ORDERS_TOPIC": unique_name,
        "LABORGUARD_REGISTRY_RELAY_BATCH_SIZE": "1",  # one row per produce: a long drain
        "LABORGUARD_REGISTRY_SEED_ON_START": "true",
        "LABORGUARD_REGISTRY_LOG_LEVEL": "warning",
    }
    engine = create_engine(database_url)
    try:
        with registry_process(env) as first:
            wait_healthy(base)
            headers = {"Authorization": f"Bearer {ADMIN}", "content-type": "text/csv"}
            response = httpx.post(
                f"{base}/imports", params={"reason": "bulk"}, content=cbp_csv(300), headers=headers
            )
            assert response.status_code == 200 and len(response.json()["created"]) == 300
            sent, total = kill_while_draining(engine, first)
        assert sent < total == 394  # the kill left committed changes unpublished
        with registry_process({**env, "LABORGUARD_REGISTRY_RELAY_BATCH_SIZE": "500"}):
            expected = committed(engine)
            messages = asyncio.run(topic_reader(bootstrap, unique_name, expected))
            assert expected <= {(key, order.version) for key, order in messages}
            assert len(expected) == 394
    finally:
        engine.dispose()


def test_seed_command_imports_the_bundled_orders_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'seeded.sqlite3'}"
    env = {**os.environ, "LABORGUARD_REGISTRY_DATABASE_URL": url}
    for _ in range(2):
        subprocess.run([*COMMAND, "--seed"], env=env, check=True, timeout=60)
    engine = create_engine(url)
    try:
        assert outbox_progress(engine) == (0, 94)  # the second run queued nothing more
        assert len(committed(engine)) == 94
    finally:
        engine.dispose()
