from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from laborguard_contracts.codec import encode
from laborguard_contracts.seed import load_seed
from testbed.harness import Topics, Worker, produce, started_workers


@pytest.fixture
def topics(bootstrap: str, unique_name: str) -> Topics:
    created = Topics.named(unique_name)
    asyncio.run(created.create(bootstrap))
    return created


@pytest.fixture
def start_worker(
    bootstrap: str, topics: Topics, unique_name: str, tmp_path: Path
) -> Iterator[Callable[..., Worker]]:
    """Starts screener processes in one consumer group; every one is stopped after the test."""
    with started_workers() as started:

        def start(worker_id: str, command: list[str] | None = None, **env: str) -> Worker:
            group = f"{unique_name}-group"
            worker = Worker(bootstrap, topics, group, worker_id, tmp_path, command, **env)
            started.append(worker.start())
            return worker

        yield start


@pytest.fixture(scope="session")
def seeded(
    bootstrap: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Worker, Topics]]:
    """One ready worker over the seed orders, shared by the tests (each uses its own ids)."""
    workdir = tmp_path_factory.mktemp("seeded")
    topics = Topics.named(workdir.name)
    asyncio.run(topics.create(bootstrap))
    orders = [(order.order_id.encode(), encode(order)) for order in load_seed()]
    asyncio.run(produce(bootstrap, topics.orders, orders))
    worker = Worker(bootstrap, topics, f"{workdir.name}-group", "seeded", workdir).start()
    try:
        worker.wait_ready()
        yield worker, topics
    finally:
        worker.stop()
