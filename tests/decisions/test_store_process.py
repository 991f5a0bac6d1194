"""The store as a process on the real broker: SIGKILL mid-run, restart, every decision once."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from laborguard_contracts.topics import ScreeningTopics
from laborguard_registry.decisions.tables import decisions, shipment_events

from .documents import decision, shipment
from .store_process import StoreProcess, produce, wait_for

pytestmark = pytest.mark.integration
SHIPMENTS = 3000


@pytest.fixture
def topics(bootstrap: str, unique_name: str) -> ScreeningTopics:
    created = ScreeningTopics.named(unique_name)
    asyncio.run(created.create(bootstrap))
    return created


@pytest.fixture
def stores() -> Iterator[list[StoreProcess]]:
    started: list[StoreProcess] = []
    try:
        yield started
    finally:
        for store in started:
            store.stop()


def stored(engine: Engine) -> tuple[int, int]:
    with engine.connect() as connection:
        rows = connection.execute(select(func.count(), func.count(func.distinct(
            decisions.c.shipment_id))).select_from(decisions)).one()  # fmt: skip
    return int(rows[0]), int(rows[1])


def test_every_decision_is_stored_exactly_once_after_a_kill_mid_run(
    bootstrap: str, topics: ScreeningTopics, database_url: str, engine: Engine,
    stores: list[StoreProcess], tmp_path: Path,
) -> None:  # fmt: skip
    records = [
        (f"shp-{n}".encode(), decision(f"shp-{n}", "DETAIN" if n % 3 else "RELEASE", minute=n))
        for n in range(SHIPMENTS)
    ]
    duplicates = records[:200]  # what a screener taking over re-decides and sends again
    asyncio.run(produce(bootstrap, topics.decisions, records + duplicates))
    events = [(f"shp-{n}".encode(), shipment(f"shp-{n}")) for n in range(0, SHIPMENTS, 10)]
    asyncio.run(produce(bootstrap, topics.shipments, events))

    def start() -> StoreProcess:
        store = StoreProcess(
            bootstrap, topics, database_url, tmp_path / "store.log", batch_size="5"
        )
        stores.append(store.start())
        return store

    first = start()
    # Five decisions a transaction: hundreds of commits, so the first rows seen are a small part
    # of the run and the kill lands mid-run, not after it.
    wait_for(lambda: stored(engine)[0] > 0, 60, "a first stored batch", first)
    first.kill()
    at_kill = stored(engine)[0]
    second = start()
    wait_for(lambda: stored(engine)[0] >= SHIPMENTS, 60, "every decision stored", second)
    wait_for(lambda: _lag(second.metrics()) == 0, 20, "no lag", second)

    assert 0 < at_kill < SHIPMENTS
    assert stored(engine) == (SHIPMENTS, SHIPMENTS)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(shipment_events)).scalar() == (
            SHIPMENTS // 10
        )
    written = _sample(second.metrics(), 'decisions_store_rows_written_total{table="decisions"}')
    assert written == SHIPMENTS - at_kill
    assert second.stop() == 0


def _lag(text: str) -> float:
    values = re.findall(r"^decisions_store_lag\{[^}]*\} (\S+)$", text, re.M)
    return sum(float(v) for v in values) if len(values) == 8 else -1.0


def _sample(text: str, name: str) -> float:
    match = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
    assert match, text
    return float(match.group(1))
