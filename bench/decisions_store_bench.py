"""Decisions store figures: decisions stored per second from a backlog, and CPU per decision.

    .venv/bin/python bench/decisions_store_bench.py                     # 20,000, SQLite
    .venv/bin/python bench/decisions_store_bench.py 50000 postgresql+psycopg://postgres@127.0.0.1/x

A fresh embedded broker; N decisions (a third DETAIN with one matched order) and N shipment
events on 4-partition topics; then `laborguard decisions-store` is started on an empty database
and timed until every decision is stored. Prints decisions/s (start of the process to the last
row, migration included), the store's CPU seconds, and the load average.
"""

from __future__ import annotations

import asyncio
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from aiokafka import AIOKafkaProducer
from sqlalchemy import create_engine, func, select, text

from laborguard_contracts.codec import dumps
from laborguard_contracts.topics import ScreeningTopics
from laborguard_platform.embedded_broker import free_port, running_broker
from laborguard_registry.decisions.tables import decisions

STORE = Path(sys.executable).parent / "laborguard"


def decision(n: int) -> bytes:
    detain = n % 3 == 0
    matches = [{"order_id": f"wro-{n % 50}", "order_version": 1, "kind": "wro",
                "action": "detain", "evidence": [{"line_number": 1, "rule": "exact_name",
                "subject": "lines[0].manufacturer.name", "observed": f"Maker {n}",
                "matched": f"Maker {n}"}]}] if detain else []  # fmt: skip
    return dumps({
        "schema_version": 1, "shipment_id": f"shp-{n}", "event_id": f"evt-{n}",
        "outcome": "DETAIN" if detain else "RELEASE", "matches": matches,
        "fuzzy_threshold": 92.0, "order_state_version": "s1", "orders_in_state": 95,
        "engine_version": "bench", "event_time": "2025-03-14T09:30:00+00:00",
        "as_of": "2025-03-14T09:30:00+00:00", "decided_at": "2026-12-04T10:00:00+00:00",
    })  # fmt: skip


def shipment(n: int) -> bytes:
    return dumps({
        "event_id": f"evt-{n}", "shipment_id": f"shp-{n}", "event_type": "entry_filed",
        "event_time": "2025-03-14T09:30:00+00:00", "port_code": "2704",
        "importer_of_record": {"name": f"Importer {n % 400}"}, "lines": [],
    })  # fmt: skip


async def fill(bootstrap: str, topics: ScreeningTopics, count: int) -> None:
    await topics.create(bootstrap)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=20,
                                max_batch_size=512 * 1024)  # fmt: skip
    await producer.start()
    try:
        sent = []
        for n in range(count):
            key = f"shp-{n}".encode()
            sent.append(await producer.send(topics.decisions, decision(n), key=key))
            sent.append(await producer.send(topics.shipments, shipment(n), key=key))
        await asyncio.gather(*sent)
    finally:
        await producer.stop()


def stored(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if not connection.execute(text("SELECT 1 FROM alembic_version")).first():
                return 0
            return int(connection.execute(select(func.count()).select_from(decisions)).scalar())
    except Exception:  # not migrated yet
        return 0
    finally:
        engine.dispose()


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    with tempfile.TemporaryDirectory() as tmp, running_broker() as broker:
        url = sys.argv[2] if len(sys.argv) > 2 else f"sqlite:///{tmp}/registry.sqlite3"
        topics = ScreeningTopics.named("bench")
        asyncio.run(fill(broker.bootstrap, topics, count))
        env = {**os.environ, "LABORGUARD_KAFKA_BOOTSTRAP": broker.bootstrap,
               "LABORGUARD_REGISTRY_DATABASE_URL": url,
               "LABORGUARD_DECISIONS_STORE_PORT": str(free_port()),
               "LABORGUARD_DECISIONS_STORE_DECISIONS_TOPIC": topics.decisions,
               "LABORGUARD_DECISIONS_STORE_SHIPMENTS_TOPIC": topics.shipments}  # fmt: skip
        started = time.perf_counter()
        with open(Path(tmp) / "store.log", "wb") as log:
            process = subprocess.Popen(
                [str(STORE), "decisions-store"], env=env, stdout=log, stderr=log
            )
        try:
            while stored(url) < count:
                assert process.poll() is None, (Path(tmp) / "store.log").read_text()[-3000:]
                time.sleep(0.2)
            seconds = time.perf_counter() - started
        finally:
            process.terminate()
            process.wait()
        cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        backend = url.split(":", 1)[0]
        print(
            f"decisions store, {backend}: {count:,} decisions + {count:,} shipment events stored "
            f"in {seconds:.1f}s = {count / seconds:,.0f} decisions/s; store CPU "
            f"{cpu.ru_utime + cpu.ru_stime:.1f}s ({(cpu.ru_utime + cpu.ru_stime) / count * 1e3:.2f}"
            f" ms per decision + event); load average {os.getloadavg()[0]:.1f}"
        )


if __name__ == "__main__":
    main()
