"""A steady stream of shipments through running workers, with timed actions (kill a broker, kill a
worker) and a ledger of every decision read back: lost, duplicates, latency by time window.

Shared by the failover test and the bench scripts (bench/failover_bench.py, bench/soak_bench.py).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from laborguard_contracts.codec import encode
from laborguard_contracts.topics import ScreeningTopics as Topics
from testbed.factory import shipment
from testbed.harness import headers, source_of

Source = tuple[int, int]  # the shipment record's partition and offset
Action = tuple[float, str, Callable[[], object]]  # seconds into the stream, name, what to do


@dataclass
class Run:
    sent: dict[Source, float] = field(default_factory=dict)  # acknowledged: when it was sent
    arrivals: list[tuple[float, str, Source]] = field(default_factory=list)  # when, worker
    moments: dict[str, float] = field(default_factory=dict)  # action name -> when it ran
    unacknowledged: Counter[str] = field(default_factory=Counter)  # sends that failed, by error
    started: float = 0.0

    def first_arrivals(self) -> dict[Source, float]:
        first: dict[Source, float] = {}
        for when, _, source in self.arrivals:
            first.setdefault(source, when)
        return first

    def lost(self) -> set[Source]:
        return set(self.sent) - {source for _, _, source in self.arrivals}

    def duplicates(self) -> int:
        return len(self.arrivals) - len({source for _, _, source in self.arrivals})

    def latencies(self, start: float = 0.0, end: float = float("inf")) -> list[float]:
        """Send-to-decision seconds of the shipments sent in [start, end) (monotonic times)."""
        first = self.first_arrivals()
        return sorted(
            first[source] - sent
            for source, sent in self.sent.items()
            if start <= sent < end and source in first
        )

    def workers_after(self, moment: float) -> set[str]:
        return {worker for when, worker, _ in self.arrivals if when > moment}


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


async def _follow(
    bootstrap: str, topic: str, run: Run, stop: asyncio.Event, isolation: str
) -> None:
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, group_id=None, auto_offset_reset="earliest",
        fetch_max_wait_ms=20, isolation_level=isolation,
    )  # fmt: skip
    await consumer.start()
    try:
        while not stop.is_set():
            for records in (await consumer.getmany(timeout_ms=100)).values():
                now = time.monotonic()
                run.arrivals += [(now, headers(r)["worker"], source_of(r)) for r in records]
    finally:
        await consumer.stop()


async def _send(producer: AIOKafkaProducer, topic: str, key: bytes, value: bytes) -> Any:
    return await (await producer.send(topic, value, key=key))


async def warm_up(bootstrap: str, topics: Topics, workers: int, within: float = 90.0) -> None:
    """Files a few shipments at a time until `workers` workers have decided some (each holds
    partitions): a stream measured from a cold group would measure the first rebalance."""
    run, stop = Run(), asyncio.Event()
    following = asyncio.create_task(
        _follow(bootstrap, topics.decisions, run, stop, "read_uncommitted")
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    await producer.start()
    deadline, number = time.monotonic() + within, 0
    try:
        while len({worker for _, worker, _ in run.arrivals}) < workers:
            if time.monotonic() > deadline:
                raise TimeoutError(f"only {run.workers_after(0)} of {workers} workers decide")
            for _ in range(8):
                value = encode(shipment(10**9 + number))
                await producer.send(topics.shipments, value, key=f"warm-{number}".encode())
                number += 1
            await asyncio.sleep(0.25)
    finally:
        stop.set()
        await following
        await producer.stop()


async def stream(
    bootstrap: str,
    topics: Topics,
    rate: int,
    seconds: float,
    actions: Sequence[Action] = (),
    settle: float = 90.0,
    isolation: str = "read_uncommitted",
    idempotent: bool = True,
) -> Run:
    """Sends `rate` shipments/s for `seconds` (acks=all, idempotent unless told), runs each
    action at its time (in a thread), then waits up to `settle` s for every acknowledged
    shipment's decision."""
    run, stop = Run(), asyncio.Event()
    following = asyncio.create_task(_follow(bootstrap, topics.decisions, run, stop, isolation))
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", enable_idempotence=idempotent, linger_ms=5,
        request_timeout_ms=60_000,
    )  # fmt: skip
    await producer.start()
    pending: list[tuple[float, asyncio.Task[Any]]] = []
    todo = sorted(actions, key=lambda action: action[0])
    tick, per_tick = 0.05, max(1, rate // 20)
    try:
        run.started = time.monotonic()
        number = 0
        while (elapsed := time.monotonic() - run.started) < seconds:
            while todo and todo[0][0] <= elapsed:
                _, name, act = todo.pop(0)
                run.moments[name] = time.monotonic()
                await asyncio.to_thread(act)
            for _ in range(per_tick):  # open loop: a send that waits for a leader blocks none
                value, key = encode(shipment(number)), f"shp-{number}".encode()
                sending = asyncio.create_task(_send(producer, topics.shipments, key, value))
                pending.append((time.monotonic(), sending))
                number += 1
            next_tick = run.started + (number / per_tick) * tick
            await asyncio.sleep(max(0.0, next_tick - time.monotonic()))
        for sent_at, sending in pending:
            try:
                metadata = await sending
            except Exception as exc:  # not acknowledged: not committed, so not counted
                run.unacknowledged[type(exc).__name__] += 1
                continue
            run.sent[(metadata.partition, metadata.offset)] = sent_at
        deadline = time.monotonic() + settle
        while run.lost() and time.monotonic() < deadline:  # noqa: ASYNC110 (another process)
            await asyncio.sleep(0.5)
    finally:
        stop.set()
        await following
        await producer.stop()
    return run
