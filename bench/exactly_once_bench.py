"""Exactly-once vs at-least-once throughput on Apache Kafka, in the same run.

    .venv/bin/python bench/exactly_once_bench.py [--shipments 20000] [--workers 1] [--rounds 2]

One broker (the pinned Apache Kafka). For each mode, alternating, `rounds` times: fresh topics
with the seed orders, a backlog of --shipments shipments filed first, then --workers screener
workers; throughput = shipments / (last decided_at - first decided_at), read back with
isolation_level=read_committed. Prints each run and the exactly-once / at-least-once ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from aiokafka import AIOKafkaConsumer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from laborguard_contracts import Decision  # noqa: E402
from laborguard_contracts.codec import decode, encode  # noqa: E402
from laborguard_contracts.seed import load_seed  # noqa: E402
from laborguard_contracts.topics import ScreeningTopics as Topics  # noqa: E402
from laborguard_platform.apache_kafka import running_kafka  # noqa: E402
from testbed.factory import shipment  # noqa: E402
from testbed.harness import Worker, produce  # noqa: E402


async def decided_span(bootstrap: str, topic: str, count: int, within: float) -> float:
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, group_id=None, auto_offset_reset="earliest",
        isolation_level="read_committed",
    )  # fmt: skip
    await consumer.start()
    stamps: list[float] = []
    deadline = time.monotonic() + within
    try:
        while len(stamps) < count and time.monotonic() < deadline:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                stamps += [decode(Decision, r.value).decided_at.timestamp() for r in records]
    finally:
        await consumer.stop()
    if len(stamps) < count:
        raise RuntimeError(f"only {len(stamps)} of {count} decisions within {within:.0f}s")
    return max(stamps) - min(stamps)


def one_run(
    bootstrap: str, workdir: Path, shipments: int, workers: int, exactly_once: bool
) -> float:
    name = f"eo{uuid.uuid4().hex[:8]}"
    topics = Topics.named(name)
    asyncio.run(topics.create(bootstrap))
    seed = [(o.order_id.encode(), encode(o)) for o in load_seed()]
    asyncio.run(produce(bootstrap, topics.orders, seed))
    backlog = [(f"shp-{n}".encode(), encode(shipment(n))) for n in range(shipments)]
    asyncio.run(produce(bootstrap, topics.shipments, backlog))
    env = {"exactly_once": "true"} if exactly_once else {}
    started = [
        Worker(bootstrap, topics, f"{name}-group", f"w{i}", workdir, **env).start()
        for i in range(workers)
    ]
    try:
        span = asyncio.run(decided_span(bootstrap, topics.decisions, shipments, within=600))
    finally:
        for worker in started:
            worker.stop()
    return shipments / span


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shipments", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    rates: dict[bool, list[float]] = {False: [], True: []}
    with tempfile.TemporaryDirectory(prefix="eo-") as workdir, running_kafka(1) as cluster:
        for round_ in range(args.rounds):
            for exactly_once in (False, True):
                load = os.getloadavg()[0]
                rate = one_run(cluster.bootstrap, Path(workdir), args.shipments, args.workers,
                               exactly_once)  # fmt: skip
                rates[exactly_once].append(rate)
                mode = "exactly-once " if exactly_once else "at-least-once"
                print(f"round {round_ + 1} {mode}: {rate:,.0f} shipments/s ({args.shipments} "
                      f"shipments, {args.workers} worker(s), load {load:.1f})")  # fmt: skip
    alo, eo = statistics.median(rates[False]), statistics.median(rates[True])
    print(f"median at-least-once {alo:,.0f}/s, exactly-once {eo:,.0f}/s: ratio {eo / alo:.2f}")


if __name__ == "__main__":
    main()
