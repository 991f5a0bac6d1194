"""Tests only a real Apache Kafka can answer: durability, compaction, failover, transactions.

They use the session's Apache Kafka (`apache_kafka`) or a cluster of their own when they kill
brokers or need other broker settings; each bounds its own time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from laborguard_contracts.topics import ScreeningTopics as Topics
from laborguard_platform.apache_kafka import ApacheKafka
from testbed.harness import Worker, started_workers


@pytest.fixture
def apache_topics(apache_kafka: ApacheKafka, unique_name: str) -> Topics:
    created = Topics.named(unique_name)
    asyncio.run(created.create(apache_kafka.bootstrap))
    return created


@pytest.fixture
def workers(unique_name: str, tmp_path: Path) -> Iterator[Callable[..., Worker]]:
    """Starts screener processes (one group per test) on a given Kafka; all stopped after."""
    with started_workers() as started:

        def start(bootstrap: str, topics: Topics, worker_id: str, **env: str) -> Worker:
            worker = Worker(bootstrap, topics, f"{unique_name}-group", worker_id, tmp_path, **env)
            started.append(worker.start())
            return worker

        yield start
