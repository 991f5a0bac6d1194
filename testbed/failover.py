"""Three brokers, replication 3, min.insync.replicas=2: the leader of shipments/decisions
partitions is SIGKILLed while two screener workers decide a steady stream. Shared by the test
(small) and bench/failover_bench.py (the issue's 20,000 shipments at 1,000/s)."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from aiokafka.admin import AIOKafkaAdminClient

from laborguard_contracts.codec import encode
from laborguard_contracts.seed import load_seed
from laborguard_contracts.topics import ScreeningTopics as Topics
from laborguard_platform.apache_kafka import ApacheKafka, running_kafka
from testbed.harness import Worker, produce
from testbed.streaming import Run, percentile, stream, warm_up

CLUSTER = {"min.insync.replicas": "2"}


async def leaders(bootstrap: str, topics: list[str]) -> Counter[int]:
    """How many of the topics' partitions each broker leads."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        described = await admin.describe_topics(topics)
    finally:
        await admin.close()
    return Counter(p["leader"] for topic in described for p in topic["partitions"])


@contextlib.contextmanager
def screening_cluster(
    workdir: Path, name: str
) -> Iterator[tuple[ApacheKafka, Topics, list[Worker]]]:
    with running_kafka(3, CLUSTER, workdir / "kafka") as cluster:
        topics = Topics.named(name)
        asyncio.run(topics.create(cluster.bootstrap))
        seed = [(o.order_id.encode(), encode(o)) for o in load_seed()]
        asyncio.run(produce(cluster.bootstrap, topics.orders, seed))
        group = f"{name}-group"
        workers = [Worker(cluster.bootstrap, topics, group, f"w{i}", workdir) for i in (1, 2)]
        try:
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.wait_ready(90)
            asyncio.run(warm_up(cluster.bootstrap, topics, len(workers)))
            yield cluster, topics, workers
        finally:
            for worker in workers:
                worker.stop()


def kill_leader_mid_stream(
    cluster: ApacheKafka, topics: Topics, rate: int, seconds: float, kill_at: float
) -> tuple[Run, int]:
    led = asyncio.run(leaders(cluster.bootstrap, [topics.shipments, topics.decisions]))
    victim = led.most_common(1)[0][0]
    run = asyncio.run(
        stream(
            cluster.bootstrap,
            topics,
            rate,
            seconds,
            [(kill_at, "kill", lambda: cluster.kill(victim))],
        )
    )
    return run, victim


def report(run: Run, victim: str, window: float = 15.0) -> str:
    kill = run.moments["kill"]
    during = run.latencies(kill, kill + window)
    offered = sum(1 for sent in run.sent.values() if sent < kill) / max(kill - run.started, 1e-9)
    before = run.latencies(0, kill)
    first = sorted(run.first_arrivals().values())
    after = [t for t in first if t > kill]
    gap = max((b - a for a, b in zip([kill, *after], after, strict=False)), default=float("nan"))
    return (
        f"killed {victim}; {offered:.0f} acknowledged shipments/s sent before the kill; "
        f"{len(run.sent)} acknowledged ({dict(run.unacknowledged)} not), "
        f"lost {len(run.lost())}, duplicates {run.duplicates()}; "
        f"latency p50/p99 before {percentile(before, 50) * 1000:.0f}/"
        f"{percentile(before, 99) * 1000:.0f} ms, in the {window:.0f} s after the kill "
        f"{percentile(during, 50) * 1000:.0f}/{percentile(during, 99) * 1000:.0f} ms; "
        f"longest pause in new decisions after the kill {gap:.1f} s"
    )
