"""Screener stream benchmark: the faust worker against a plain aiokafka loop, scale-out, latency.

    .venv/bin/python bench/screener_bench.py [--shipments 10000] [--rates 200,1000,5000]
        [--parts engine,throughput,latency,rescreen] [--rounds 4] [--before CHECKOUT]
        [--scale-shipments 150000]

Order state: the seed plus 10,000 synthetic listed entities (bench/screening_synthetic.py);
shipments: three lines and eight party names each, 1% of names listed. Every figure comes from
one run on one embedded broker (restarted between the throughput and the latency parts, since it
never frees memory). The machine is shared: the load average is printed next to the figures, and
throughput is also given per CPU-second of the process doing the work. `rescreen`: two workers
hold every filed shipment open (ongoing screening), then 20 new WROs naming filed manufacturers
arrive one a second; it prints the time from each order's commit to its last superseding decision.
`ongoing` (not run by default): one worker's throughput with re-screening off and on, alternated
for `--rounds` rounds on one broker, and the median of each: on this shared machine one run of
each swings by 10-25%, more than the difference it is after. `--before CHECKOUT` adds a third
mode to it, and a second worker to `latency`: the worker of another checkout (the code before a
change, its venv built by `make` there), started with its own command. `scale` (not run by
default; `--scale-shipments`, 150,000): how long a worker's event loop is held as one worker
decides and holds that many open shipments, order updates arrive (their re-screens left to
settle), and a second worker joins and restores half of them (a `/healthz` request every
0.1 s, the slowest answer per phase; how many open shipments the updates re-decided, and each
worker through the join; new shipments filed 20/s through the join, how long each waited for its
decision, by worker); with `--before`, that worker's too. `restore` (not run by default): a
restore's steps in this process, timed apart, for half of `--scale-shipments` open shipments in
one partition of a fresh broker (the changelog read back and decoded: what a partition new to a
worker waits for; then its events read back, restored and tracked: what goes on beside the
stream).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
import urllib.request
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from prometheus_client.parser import text_string_to_metric_families

from laborguard_contracts import Decision, Order, ShipmentEvent
from laborguard_contracts.codec import decode, encode
from laborguard_contracts.seed import load_seed
from laborguard_contracts.topics import ScreeningTopics as Topics
from laborguard_platform.embedded_broker import EmbeddedBroker
from laborguard_screener.changelog import (
    decode_open,
    encode_open,
    track_restored,
    wanted_sources,
)
from laborguard_screener.deadletter import DeadLetter
from laborguard_screener.engine.orderbook import OrderBook
from laborguard_screener.engine.screening import DEFAULT_POLICY, Trace
from laborguard_screener.intake import Screened, take_in
from laborguard_screener.ongoing import RESTORE_CHUNK, SWEEP_CHUNKS
from laborguard_screener.ongoing import _read_changelog as read_changelog
from laborguard_screener.ongoing import _read_sources as read_sources
from laborguard_screener.ongoing import _readable as readable
from laborguard_screener.openshipments import OpenShipment, OpenShipments
from laborguard_screener.orderstate import settle_memory
from laborguard_screener.settings import ScreenerSettings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))  # for testbed/
from screening_synthetic import Synthetic, listed_names  # noqa: E402

from testbed import harness  # noqa: E402

WORKDIR = ROOT / "var" / "screener-bench"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def orders(synthetic: int = 10_000) -> list[Order]:
    return [*load_seed(), *Synthetic(seed=11).orders(synthetic)]


def shipments(count: int, listed: list[str], seed: int = 23) -> list[ShipmentEvent]:
    return Synthetic(seed=seed).shipments(count, listed)


async def produce(bootstrap: str, topic: str, records: Iterable[tuple[bytes, bytes]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5, max_batch_size=256 * 1024)
    await producer.start()
    try:
        sent = [await producer.send(topic, value, key=key) for key, value in records]
        await asyncio.gather(*sent)
    finally:
        await producer.stop()


@contextlib.contextmanager
def _broker_with_orders(
    name: str, keyed_orders: list[tuple[bytes, bytes]]
) -> Iterator[tuple[EmbeddedBroker, Topics]]:
    """A fresh embedded broker (it never frees memory), its topics created, the orders in."""
    broker = EmbeddedBroker()
    broker.start()
    try:
        topics = Topics.named(name)
        asyncio.run(topics.create(broker.bootstrap))
        asyncio.run(produce(broker.bootstrap, topics.orders, keyed_orders))
        yield broker, topics
    finally:
        broker.stop()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


# ----------------------------------------------------------------- the plain aiokafka loop


async def plain_loop(bootstrap: str, topics: Topics, count: int) -> dict[str, float]:
    """The same decode-screen-encode (`take_in`) with aiokafka alone: the reference to beat."""
    book = await _read_book(bootstrap, topics.orders)
    settle_memory()  # as the worker does when its order state is complete
    print("ready", flush=True)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=None,
        enable_auto_commit=False,
        fetch_max_wait_ms=10,
        max_partition_fetch_bytes=4 * 1024 * 1024,
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5, max_batch_size=256 * 1024)
    await consumer.start()
    await producer.start()
    try:
        partitions = [TopicPartition(topics.shipments, p) for p in range(4)]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        done, started, cpu = 0, 0.0, 0.0
        while done < count:
            for records in (await consumer.getmany(timeout_ms=100)).values():
                if not started:
                    started, cpu = time.perf_counter(), time.process_time()
                for record in records:
                    outcome = take_in(record.value, book, DEFAULT_POLICY, datetime.now(UTC))
                    if not isinstance(outcome, DeadLetter):
                        await producer.send(topics.decisions, outcome.value, key=record.key)
                done += len(records)
        await producer.flush()
        return {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu}
    finally:
        await producer.stop()
        await consumer.stop()


async def _read_book(bootstrap: str, topic: str) -> OrderBook:
    book = OrderBook()
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=None,
        fetch_max_wait_ms=10,
    )
    await consumer.start()
    try:
        tp = TopicPartition(topic, 0)
        consumer.assign([tp])
        await consumer.seek_to_beginning(tp)
        while consumer.highwater(tp) is None or await consumer.position(tp) < consumer.highwater(
            tp
        ):
            for records in (await consumer.getmany(timeout_ms=100)).values():
                for record in records:
                    book.apply(decode(Order, record.value))
    finally:
        await consumer.stop()
    return book


# ----------------------------------------------------------------- faust workers


class Worker(harness.Worker):
    """A started worker whose metrics the bench reads (the tests' worker, with the bench's
    workdir and a longer wait for readiness: the bench's order book is larger)."""

    def __init__(
        self,
        bootstrap: str,
        topics: Topics,
        group: str,
        worker_id: str,
        command: list[str] | None = None,
        **settings: str,
    ) -> None:
        WORKDIR.mkdir(parents=True, exist_ok=True)
        super().__init__(bootstrap, topics, group, worker_id, WORKDIR, command=command, **settings)
        self.start()

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def metrics(self) -> dict[str, float]:
        text = self.get("/metrics")[1]
        return {
            sample.name + _labels(sample.labels): sample.value
            for family in text_string_to_metric_families(text)
            for sample in family.samples
        }

    def consumed(self) -> float:
        try:
            return self.metrics().get("screener_events_consumed_total", 0.0)
        except OSError:
            return 0.0

    def wait_ready(self, timeout: float = 180.0) -> dict[str, Any]:
        return super().wait_ready(timeout)


def _labels(labels: dict[str, str]) -> str:
    return "{" + ",".join(f'{k}="{v}"' for k, v in sorted(labels.items())) + "}" if labels else ""


def faust_throughput(
    bootstrap: str,
    orders_topic: str,
    raw: list[tuple[bytes, bytes]],
    workers: int,
    broker_pid: int | None = None,
    command: list[str] | None = None,
    **settings: str,
) -> dict[str, float]:
    """Ready, settled workers of a fresh group; then the shipments arrive and are timed.
    `command`: the worker's (default: this checkout's); `settings`: the workers' screener
    settings besides the topics' (`open_window_days="0"`)."""
    topics = Topics.named(f"thru{workers}-{time.time_ns()}")
    topics = Topics(
        orders_topic, topics.shipments, topics.decisions, topics.dead_letters, topics.open_shipments
    )
    asyncio.run(topics.create(bootstrap))
    group = f"bench-{time.time_ns()}"
    running = [
        Worker(bootstrap, topics, group, f"w{n}", command, **settings) for n in range(workers)
    ]
    try:
        for worker in running:
            worker.wait_ready()
        time.sleep(8)  # every worker joined and holds its partitions (6 s session timeout)
        asyncio.run(produce(bootstrap, topics.shipments, raw))
        # Timed from the end of production: until then the bench's producer and the broker's
        # intake take CPU from the workers on this 2-core machine (the plain loop, too, reads a
        # topic filled beforehand). The workers have a backlog throughout the window.
        produced = time.time()
        cpu = sum(cpu_seconds(worker.pid) for worker in running)
        broker_cpu = cpu_seconds(broker_pid) if broker_pid else 0.0
        _wait_consumed(running, len(raw))
        cpu = sum(cpu_seconds(worker.pid) for worker in running) - cpu
        broker_cpu = (cpu_seconds(broker_pid) if broker_pid else 0.0) - broker_cpu
        # The decisions' own timestamps (set as each is appended to its record batch) time the
        # work to the millisecond.
        stamps = asyncio.run(_decision_stamps(bootstrap, topics.decisions, len(raw)))
        after = [stamp for stamp in stamps if stamp >= produced]
        if len(after) < len(stamps) // 2:
            raise RuntimeError("production took too long to leave a backlog: use more shipments")
        return {
            "seconds": max(after) - produced,
            "events": float(len(after)),
            "cpu": cpu,
            "broker_cpu": broker_cpu,
            "all_seconds": max(stamps) - min(stamps),
            "events_total": float(len(stamps)),
        }
    finally:
        for worker in running:
            worker.stop()


async def _decision_stamps(bootstrap: str, topic: str, count: int) -> list[float]:
    """Every decision's timestamp (seconds), once all `count` are readable."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", fetch_max_wait_ms=10
    )
    await consumer.start()
    try:
        stamps: list[float] = []
        while len(stamps) < count:
            for records in (await consumer.getmany(timeout_ms=200)).values():
                stamps += [record.timestamp / 1000 for record in records]
        return stamps
    finally:
        await consumer.stop()


def _wait_consumed(running: list[Worker], count: int) -> None:
    deadline = time.monotonic() + 600
    while sum(worker.consumed() for worker in running) < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"fewer than {count} shipments consumed in 600 s")
        time.sleep(0.25)  # a /metrics scrape costs the worker ~1 ms


# ----------------------------------------------------------------- latency


async def latency(
    bootstrap: str, topics: Topics, events: list[ShipmentEvent], rate: int, seconds: float
) -> list[float]:
    """Produces at `rate`/s with event_time = now; returns produce-to-readable delays (s)."""
    total = int(rate * seconds)
    planned = _stamped(events, total, rate)
    sent_at: dict[bytes, float] = {}
    arrived: dict[bytes, float] = {}
    consumer = AIOKafkaConsumer(
        topics.decisions,
        bootstrap_servers=bootstrap,
        group_id=None,
        auto_offset_reset="latest",
        fetch_max_wait_ms=5,
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=1)
    await consumer.start()
    await producer.start()
    stop = asyncio.Event()

    async def follow() -> None:
        while not stop.is_set():
            for records in (await consumer.getmany(timeout_ms=50)).values():
                now = time.perf_counter()
                for record in records:
                    if record.key in sent_at:  # not a late decision of an earlier run
                        arrived.setdefault(record.key, now)

    following = asyncio.create_task(follow())
    await asyncio.sleep(1.0)  # the consumer's first fetch positions it at the end
    try:
        per_tick, started = max(1, int(rate * 0.01)), time.perf_counter()
        for n in range(0, total, per_tick):
            for key, value in planned[n : n + per_tick]:
                sent_at[key] = time.perf_counter()
                await producer.send(topics.shipments, value, key=key)
            await asyncio.sleep(max(0.0, started + (n + per_tick) / rate - time.perf_counter()))
        deadline = time.perf_counter() + 30
        # polling what the worker writes; no event to wait on
        while len(arrived) < len(sent_at) and time.perf_counter() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.1)
    finally:
        stop.set()
        await following
        await producer.stop()
        await consumer.stop()
    missing = len(sent_at) - len(arrived)
    if missing:
        print(f"    ({missing} of {len(sent_at)} decisions not read within 30 s)")
    return [arrived[key] - sent_at[key] for key in sent_at if key in arrived]


def _stamped(events: list[ShipmentEvent], total: int, rate: int) -> list[tuple[bytes, bytes]]:
    """Unique shipment ids; event times at the planned send times (encoded before timing)."""
    start = datetime.now(UTC) + timedelta(seconds=total / 20_000 + 1.5)  # after encoding
    stamped = []
    for n in range(total):
        event = events[n % len(events)].model_copy(
            update={
                "event_time": start + timedelta(seconds=n / rate),
                "shipment_id": f"L{rate}-{n}",
            }
        )
        stamped.append((event.shipment_id.encode(), encode(event)))
    return stamped


async def order_updates(bootstrap: str, topic: str, base: list[Order], count: int) -> None:
    """Order updates stamped as committed now, 20 a second (a busy registry)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=0)
    await producer.start()
    try:
        for order in base[:count]:
            update = order.model_copy(
                update={"version": order.version + 1, "updated_at": datetime.now(UTC)}
            )
            await producer.send(topic, encode(update), key=order.order_id.encode())
            await asyncio.sleep(0.05)
    finally:
        await producer.stop()


def histogram_quantile(metrics: dict[str, float], name: str, q: float) -> float:
    buckets = sorted(
        (float(key.split('le="')[1].split('"')[0]), value)
        for key, value in metrics.items()
        if key.startswith(f"{name}_bucket")
    )
    total = buckets[-1][1]
    previous_bound, previous_count = 0.0, 0.0
    for bound, cumulative in buckets:
        if cumulative >= q * total:
            if bound == float("inf"):
                return previous_bound
            share = (q * total - previous_count) / max(cumulative - previous_count, 1e-9)
            return previous_bound + (bound - previous_bound) * share
        previous_bound, previous_count = bound, cumulative
    return float("nan")


def quantile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1]


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def run(
    count: int,
    rates: list[int],
    parts: set[str],
    synthetic: int,
    updates: int,
    rounds: int,
    before: list[str] | None = None,
    scale_count: int = 150_000,
) -> None:
    print(f"screener bench {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average {load()}")
    book_orders = orders(synthetic)
    listed = listed_names(book_orders[94:]) or ["Hetian Taida Apparel Co., Ltd."]
    events = shipments(count, listed)
    raw = [(e.shipment_id.encode(), encode(e)) for e in events]
    keyed_orders = [(o.order_id.encode(), encode(o)) for o in book_orders]
    size = statistics.mean(len(value) for _, value in raw)
    print(f"  {len(book_orders):,} orders; {count:,} shipments of {size:.0f} bytes")

    if "engine" in parts:
        engine(book_orders, listed, count)
    if "throughput" in parts:
        throughput(count, raw, keyed_orders)
    if "latency" in parts:
        latencies(rates, keyed_orders, book_orders, listed, updates, before)
    if "rescreen" in parts:
        rescreens(raw, keyed_orders, events)
    if "ongoing" in parts:
        ongoing_on_and_off(raw, keyed_orders, rounds, before)
    if "scale" in parts:
        scale(scale_count, keyed_orders, listed, before)
    if "restore" in parts:
        restore_reads(scale_count // 2, book_orders, listed)
    print(f"  load average at end: {load()}")


def engine(book_orders: list[Order], listed: list[str], count: int) -> None:
    """CPU per shipment of `take_in` alone (decode, screen, encode), in this process."""
    book = OrderBook.of(book_orders)
    settle_memory()
    traffic = [encode(e) for e in shipments(count, listed)]
    unique = [encode(e) for e in Synthetic(seed=5).shipments(count // 4, listed, unique=True)]
    for label, records in (
        ("first pass (Zipf-recurring parties)", traffic),
        ("the same shipments again (warm)", traffic),
        ("every party name new", unique),
    ):
        decided_at, started = datetime.now(UTC), time.process_time()
        for value in records:
            take_in(value, book, DEFAULT_POLICY, decided_at)
        micros = (time.process_time() - started) / len(records) * 1e6
        print(f"  take_in, {label:36} {micros:6.0f} us CPU per shipment")
    ongoing_cost(book, traffic)


def ongoing_cost(book: OrderBook, traffic: list[bytes], beside: int = 100_000) -> None:
    """What ongoing screening adds per shipment on the worker's path: the open record, its index
    keys (from the screening's `Trace`, as the worker takes them) and its changelog bytes (warm:
    the traffic was screened above), best of 3; then the same beside `beside` shipments already
    open (the state must not make the path dearer as it fills). The trace's own cost is inside
    `take_in`."""
    now = datetime.now(UTC)
    screened = [take_in(value, book, DEFAULT_POLICY, now, trace=Trace()) for value in traffic]
    kept = [
        (value, s) for value, s in zip(traffic, screened, strict=True) if isinstance(s, Screened)
    ]
    for already_open in (0, beside):
        best = float("inf")
        for _ in range(3):
            state = OpenShipments(timedelta(days=45))
            _fill(state, kept, already_open)
            started = time.process_time()
            for value, result in kept:
                assert result.event is not None
                state.advance(result.event.event_time)
                shipment = OpenShipment.of(0, value, result.event, result.decision, offset=0)
                state.track(shipment, result.event, result.trace)
                encode_open(shipment)
            best = min(best, (time.process_time() - started) / len(kept) * 1e6)
        print(
            f"  ongoing: open record, index keys, changelog bytes {best:6.1f} us CPU per shipment"
            f" ({already_open:,} already open)"
        )
    open_memory(kept)
    filing_steps(book, kept, 4 * beside)
    restore_steps(kept, 2 * beside)
    housekeeping_steps(kept, 4 * beside)


def open_memory(kept: list[tuple[bytes, Screened]]) -> None:
    """Memory the open state allocates per open shipment (the traffic's shipments, each once,
    tracked and filed, as a worker holds them once an update has looked them up), besides the
    event's bytes it holds (the record's own value: not copied)."""
    state = OpenShipments(timedelta(days=45))
    gc.collect()
    tracemalloc.start()
    try:
        _fill(state, kept, len(kept))
        tracked = tracemalloc.get_traced_memory()[0]
        state.file()
        filed = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    event = statistics.mean(len(value) for value, _ in kept)
    print(
        f"  ongoing: memory per open shipment {filed / len(kept):5.0f} bytes filed"
        f" ({tracked / len(kept):.0f} tracked), besides its event's {event:.0f} bytes"
        f" ({len(kept):,} shipments, {state.footprint()['parties']:,} parties)"
    )


def filing_steps(book: OrderBook, kept: list[tuple[bytes, Screened]], count: int) -> None:
    """The longest step that holds the event loop when `count` tracked shipments are filed in
    the indexes: all at once (an order update's `affected` on its own) or in the worker's chunks
    of `ScreenerSettings.batch_size` units. The parties recur (those of the traffic)."""
    chunk = ScreenerSettings().batch_size
    order = next(o for o in book.orders() if o.entities)
    state = OpenShipments(timedelta(days=45))
    _fill(state, kept, count)
    started = time.perf_counter()
    state.affected(None, order)
    at_once = time.perf_counter() - started
    state = OpenShipments(timedelta(days=45))
    _fill(state, kept, count)
    steps = _file_in_chunks(state, chunk)
    started = time.perf_counter()
    state.affected(None, order)
    update = time.perf_counter() - started
    print(
        f"  ongoing: filing {count:,} tracked shipments at once {at_once * 1e3:7.1f} ms; in"
        f" {len(steps):,} chunks of {chunk:,}: longest {max(steps) * 1e3:.1f} ms, total"
        f" {sum(steps) * 1e3:.1f} ms; the update then {update * 1e3:.2f} ms"
    )


def _file_in_chunks(state: OpenShipments, chunk: int) -> list[float]:
    """`state.file` in chunks of `chunk` units, as the worker's edge calls it: each one's time."""
    steps = []
    while True:
        started = time.perf_counter()
        done = state.file(chunk)
        steps.append(time.perf_counter() - started)
        if done:
            return steps


def restore_steps(kept: list[tuple[bytes, Screened]], count: int) -> None:
    """The longest step that holds the event loop when a worker restores `count` open shipments
    (after the Kafka reads): in one go, as before the seventh pass (every changelog record
    decoded, then every event restored and every shipment tracked), or as the worker does now
    (records decoded in chunks of `ScreenerSettings.batch_size`, then `track_restored` a chunk
    at a time, the events dropped before the next chunk)."""
    chunk = ScreenerSettings().batch_size
    values: list[bytes] = []
    sources: dict[tuple[int, int], bytes] = {}
    for n in range(count):
        value, result = kept[n % len(kept)]
        assert result.event is not None
        event = result.event.model_copy(update={"shipment_id": f"open-{n}"})
        shipment = OpenShipment.of(0, value, event, result.decision, offset=n)
        values.append(encode_open(shipment))
        sources[(0, n)] = encode(event)
    # The bench's own objects (the traffic, its decisions) out of the collector's way, as the
    # worker's book is: a full collection then walks what a restoring worker would hold.
    gc.collect()
    gc.freeze()
    for label, size in (("in one go", count), (f"in chunks of {chunk:,}", chunk)):
        steps: list[float] = []
        records = []
        for start in range(0, count, size):
            began = time.perf_counter()
            records += [decode_open(value) for value in values[start : start + size]]
            steps.append(time.perf_counter() - began)
        state = OpenShipments(timedelta(days=45))
        for start in range(0, count, size):
            began = time.perf_counter()
            track_restored(state, records[start : start + size], sources, {0})
            steps.append(time.perf_counter() - began)
        print(
            f"  ongoing: restoring {len(state):,} open shipments {label}: longest step"
            f" {max(steps) * 1e3:.1f} ms, total {sum(steps) * 1e3:.1f} ms"
        )
    gc.unfreeze()


def housekeeping_steps(kept: list[tuple[bytes, Screened]], count: int) -> None:
    """The longest step that holds the event loop when, of `count` filed open shipments in 4
    partitions, 2 partitions are revoked, or half of them fall out of the window: in one go, as
    before the eighth pass (each shipment closed, its index entries taken out, inside the
    rebalance; the sweep's pass over all of them), or as the worker does now (a revocation
    forgets them and the filing's chunks of `ScreenerSettings.batch_size` take them out of the
    indexes; the sweep goes through a snapshot in chunks of `SWEEP_CHUNKS` batches)."""
    chunk = ScreenerSettings().batch_size

    def filed() -> OpenShipments:
        state = OpenShipments(timedelta(days=45))
        _fill(state, kept, count, partitions=4)
        state.file()
        return state

    state = filed()
    started = time.perf_counter()
    for shipment in [s for s in state.snapshot() if s.partition in (2, 3)]:
        state.close(shipment.shipment_id)
    at_once = time.perf_counter() - started
    state = filed()
    started = time.perf_counter()
    state.drop_partitions([2, 3])
    steps = [time.perf_counter() - started, *_file_in_chunks(state, chunk)]
    print(
        f"  ongoing: revoking 2 of 4 partitions ({count // 2:,} of {count:,} open shipments):"
        f" at once {at_once * 1e3:.1f} ms; forgotten {steps[0] * 1e3:.1f} ms, then"
        f" {len(steps) - 1:,} chunks: longest {max(steps[1:]) * 1e3:.1f} ms"
    )
    times = sorted(result.event.event_time for _, result in kept if result.event is not None)
    cutoff = times[len(times) // 2] + timedelta(days=45)
    state = filed()
    state.advance(cutoff)
    started = time.perf_counter()
    closed = len(state.expired())
    at_once = time.perf_counter() - started
    state = filed()
    state.advance(cutoff)
    started = time.perf_counter()
    held = state.snapshot()
    steps = [time.perf_counter() - started]
    for start in range(0, len(held), SWEEP_CHUNKS * chunk):
        started = time.perf_counter()
        state.expire(held[start : start + SWEEP_CHUNKS * chunk])
        steps.append(time.perf_counter() - started)
    print(
        f"  ongoing: sweeping {count:,} open shipments ({closed:,} out of the window): at once"
        f" {at_once * 1e3:.1f} ms; in {len(steps) - 1:,} chunks: longest"
        f" {max(steps) * 1e3:.1f} ms (the snapshot {steps[0] * 1e3:.1f} ms)"
    )


def _fill(
    state: OpenShipments, kept: list[tuple[bytes, Screened]], count: int, partitions: int = 1
) -> None:
    """`count` open shipments of the decided events, under ids of their own."""
    for n in range(count):
        value, result = kept[n % len(kept)]
        assert result.event is not None
        state.advance(result.event.event_time)
        shipment = OpenShipment.of(n % partitions, value, result.event, result.decision, offset=n)
        shipment.shipment_id = f"open-{n}"
        state.track(shipment, result.event, result.trace)


def throughput(
    count: int, raw: list[tuple[bytes, bytes]], keyed_orders: list[tuple[bytes, bytes]]
) -> None:
    with _broker_with_orders("thru", keyed_orders) as (broker, topics):
        asyncio.run(produce(broker.bootstrap, topics.shipments, raw))
        plain = _plain_in_subprocess(broker.bootstrap, topics, count)
        one = faust_throughput(broker.bootstrap, topics.orders, raw, 1, broker.pid)
        two = faust_throughput(broker.bootstrap, topics.orders, raw, 2, broker.pid)
    _report_throughput(plain, one, two)
    print(f"  load average after throughput: {load()}")


def ongoing_on_and_off(
    raw: list[tuple[bytes, bytes]],
    keyed_orders: list[tuple[bytes, bytes]],
    rounds: int,
    before: list[str] | None = None,
) -> None:
    """One worker, re-screening off (window 0) and on (45 days) in turn, on one broker; with
    `before` (another checkout's worker command), that worker as a third mode."""
    modes: dict[str, tuple[list[str] | None, dict[str, str]]] = {
        "off": (None, {"open_window_days": "0"}),
        "on": (None, {"open_window_days": "45"}),
    }
    if before is not None:
        modes["before"] = (before, {})
    runs: dict[str, list[float]] = {mode: [] for mode in modes}
    with _broker_with_orders("ongoing", keyed_orders) as (broker, topics):
        for round_ in range(rounds):
            # the order turns too: a drift in the machine's load favours no mode
            names = list(modes)
            turn = round_ % len(names)
            for mode in names[turn:] + names[:turn]:
                command, settings = modes[mode]
                run = faust_throughput(
                    broker.bootstrap, topics.orders, raw, 1, broker.pid, command, **settings
                )
                runs[mode].append(run["events"] / run["cpu"])
                print(
                    f"  round {round_ + 1}, {mode:6} {runs[mode][-1]:8,.0f} shipments per CPU-s"
                    f" (load {load()})"
                )
    medians = {mode: statistics.median(figures) for mode, figures in runs.items()}
    # A round times about a second of work: identical code has differed by 10-15% between two
    # rounds on this machine, so the spread says how far a single round can be trusted.
    spread = ", ".join(f"{mode} {min(f):,.0f}-{max(f):,.0f}" for mode, f in runs.items())
    print(f"  the rounds' spread: {spread} shipments per CPU-s")
    off, on = medians["off"], medians["on"]
    print(
        f"  one worker, median of {rounds}: off {off:,.0f}, on {on:,.0f} shipments per CPU-s;"
        f" on/off {on / off - 1:+.1%}"
    )
    if "before" in medians:
        print(
            f"  before (the other checkout) {medians['before']:,.0f} shipments per CPU-s;"
            f" on/before {on / medians['before'] - 1:+.1%}, off/before"
            f" {off / medians['before'] - 1:+.1%}"
        )


def worker_command(checkout: Path) -> list[str]:
    """The screener command of another checkout (built with its `make`): `laborguard screener`,
    or the console script it had before the one command."""
    bin_ = checkout / ".venv" / "bin"
    if (bin_ / "laborguard").exists():
        return [str(bin_ / "laborguard"), "screener"]
    if (bin_ / "laborguard-screener").exists():
        return [str(bin_ / "laborguard-screener")]
    raise SystemExit(f"--before: no screener in {bin_} (run `make` in that checkout first)")


def latencies(
    rates: list[int],
    keyed_orders: list[tuple[bytes, bytes]],
    book_orders: list[Order],
    listed: list[str],
    updates: int,
    before: list[str] | None = None,
) -> None:
    """The plain loop's latencies, then the worker's; with `before` (another checkout's worker
    command), that worker's too, each on a fresh broker."""
    plain_latencies(rates, keyed_orders, listed)
    workers: list[tuple[str, list[str] | None]] = [("worker", None)]
    if before is not None:
        workers.append(("before", before))
    for label, command in workers:
        if before is not None:
            print(f"  {label}:")
        _worker_latencies(rates, keyed_orders, book_orders, listed, updates, command)


def _worker_latencies(
    rates: list[int],
    keyed_orders: list[tuple[bytes, bytes]],
    book_orders: list[Order],
    listed: list[str],
    updates: int,
    command: list[str] | None,
) -> None:
    with _broker_with_orders("lat", keyed_orders) as (broker, topics):
        worker = Worker(broker.bootstrap, topics, "latency", "lat", command)
        try:
            worker.wait_ready()
            time.sleep(8)  # the group join completes (6 s session timeout)
            events = shipments(5000, listed, seed=31)
            for rate in rates:
                delays = asyncio.run(
                    _latency_with_updates(
                        broker.bootstrap, topics, events, rate, book_orders, updates
                    )
                )
                p50, p99 = quantile(delays, 0.5) * 1000, quantile(delays, 0.99) * 1000
                print(
                    f"  e2e latency at {rate:>5,}/s offered for 10 s: p50 {p50:6.1f} ms"
                    f"  p99 {p99:7.1f} ms  ({len(delays):,} decisions)"
                )
            metrics = worker.metrics()
            if _RESCREENS in metrics:  # ongoing screening: the updates re-decide open shipments
                superseded = sum(
                    value
                    for name, value in metrics.items()
                    if name.startswith("screener_decisions_superseded_total")
                )
                print(
                    f"  open shipments re-decided by the order updates: {metrics[_RESCREENS]:,.0f}"
                    f" ({superseded:,.0f} superseded)"
                )
            applied = metrics.get("screener_order_apply_seconds_count", 0)
            if not applied:
                return
            p99 = histogram_quantile(metrics, "screener_order_apply_seconds", 0.99)
            p50 = histogram_quantile(metrics, "screener_order_apply_seconds", 0.5)
            print(
                f"  order commit (updated_at) -> applied, {applied:.0f} updates during the"
                f" latency runs: p50 ~{p50 * 1000:.0f} ms, p99 ~{p99 * 1000:.0f} ms"
                " (interpolated in histogram buckets)"
            )
        finally:
            worker.stop()


# ----------------------------------------------------------------- ongoing screening


def rescreens(
    raw: list[tuple[bytes, bytes]],
    keyed_orders: list[tuple[bytes, bytes]],
    events: list[ShipmentEvent],
    new_orders: int = 20,
) -> None:
    """Two workers holding every shipment open; new WROs naming filed manufacturers, one a
    second: from each order's commit (updated_at) to its last superseding decision."""
    with _broker_with_orders("resc", keyed_orders) as (broker, topics):
        running = [Worker(broker.bootstrap, topics, "rescreen", f"r{n}") for n in range(2)]
        try:
            for worker in running:
                worker.wait_ready()
            time.sleep(8)  # both joined and hold partitions
            asyncio.run(produce(broker.bootstrap, topics.shipments, raw))
            asyncio.run(_decision_stamps(broker.bootstrap, topics.decisions, len(raw)))
            open_now = sum(w.metrics().get("screener_open_shipments", 0) for w in running)
            wros = _new_wros(events, new_orders)
            for order in wros:
                stamped = order.model_copy(update={"updated_at": datetime.now(UTC)})
                asyncio.run(produce(broker.bootstrap, topics.orders, [_keyed(stamped)]))
                time.sleep(1.0)
            time.sleep(2.0)
            superseding = asyncio.run(_superseding(broker.bootstrap, topics.decisions))
        finally:
            for worker in running:
                worker.stop()
    _report_rescreens(open_now, len(wros), superseding)


def scale(
    count: int,
    keyed_orders: list[tuple[bytes, bytes]],
    listed: list[str],
    before: list[str] | None = None,
) -> None:
    """`scale`: how long a worker's event loop is held as its open population grows, measured
    from outside (a `/healthz` request every 0.1 s, answered on the worker's loop). One worker
    decides `count` shipments and holds them open; 3 new WROs arrive (each update files the
    tracked shipments, then looks them up); a second worker joins (the first drops half of its
    partitions, the second restores them); 3 more WROs. With `before`, the same for that
    worker command, on a fresh broker."""
    events = shipments(count, listed, seed=41)
    raw = [(e.shipment_id.encode(), encode(e)) for e in events]
    wros = _new_wros(events, 6)
    variants: list[tuple[str, list[str] | None]] = [("worker", None)]
    if before is not None:
        variants.append(("before", before))
    for label, command in variants:
        with _broker_with_orders("scale", keyed_orders) as (broker, topics):
            _scale_run(label, broker.bootstrap, topics, raw, wros, command)


def restore_reads(count: int, book_orders: list[Order], listed: list[str]) -> None:
    """`restore`: the steps of a worker's restore of `count` open shipments of one partition, in
    this process, against the embedded broker (run twice)."""
    book = OrderBook.of(book_orders)
    events = shipments(count, listed, seed=43)
    decided_at = datetime.now(UTC)
    with _broker_with_orders("restore", []) as (broker, topics):
        asyncio.run(_fill_changelog(broker.bootstrap, topics, book, events, decided_at))
        settle_memory()
        for _ in range(2):
            steps = asyncio.run(_timed_restore(broker.bootstrap, topics))
            print(
                f"  restore of {count:,} open shipments in one partition: "
                + ", ".join(f"{label} {seconds:.2f} s" for label, seconds in steps)
            )


async def _fill_changelog(
    bootstrap: str, topics: Topics, book: OrderBook, events: list[ShipmentEvent], at: datetime
) -> None:
    """The events in partition 0 of `shipments`, and each one's open-shipment record."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5, max_batch_size=256 * 1024)
    await producer.start()
    try:
        values = [encode(event) for event in events]
        sent = [await producer.send(topics.shipments, value, partition=0) for value in values]
        offsets = [(await future).offset for future in sent]
        written = []
        for event, value, offset in zip(events, values, offsets, strict=True):
            result = take_in(value, book, DEFAULT_POLICY, at)
            assert isinstance(result, Screened) and result.event is not None
            shipment = OpenShipment.of(0, value, result.event, result.decision, offset)
            key = event.shipment_id.encode()
            record = encode_open(shipment)
            written.append(await producer.send(topics.open_shipments, record, key, partition=0))
        await asyncio.gather(*written)
    finally:
        await producer.stop()


async def _timed_restore(bootstrap: str, topics: Topics) -> list[tuple[str, float]]:
    """A worker's restore steps (`ongoing.py`), each timed: the changelog read back, its records
    decoded, their events read back, then the shipments restored and tracked a chunk at a time."""
    chunk = ScreenerSettings().batch_size
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False
    )
    await consumer.start()
    steps, began = [], time.perf_counter()

    def lap(label: str) -> None:
        nonlocal began
        steps.append((label, time.perf_counter() - began))
        began = time.perf_counter()

    try:
        read = await read_changelog(consumer, topics.open_shipments, [0])
        latest = list(read.latest.values())
        lap("changelog read")
        records = []
        for start in range(0, len(latest), chunk):
            records += readable(latest[start : start + chunk])
        lap("decoded")
        sources = await read_sources(consumer, topics.shipments, wanted_sources(records))
        lap("events read")
    finally:
        await consumer.stop()
    state = OpenShipments(timedelta(days=3650))
    for start in range(0, len(records), RESTORE_CHUNK):
        track_restored(state, records[start : start + RESTORE_CHUNK], sources, {0})
    lap(f"{len(state):,} restored and tracked")
    return steps


def _scale_run(
    label: str,
    bootstrap: str,
    topics: Topics,
    raw: list[tuple[bytes, bytes]],
    wros: list[Order],
    command: list[str] | None,
) -> None:
    # Every shipment stays open (the bench's event times span more than the 45-day window).
    window = {"open_window_days": "3650"}
    first = Worker(bootstrap, topics, "scale", "s0", command, **window)
    second: Worker | None = None
    probes: list[_Probe] = []
    phases: list[tuple[str, float, float]] = []

    def updates(orders: list[Order]) -> None:
        for order in orders:
            stamped = order.model_copy(update={"updated_at": datetime.now(UTC)})
            asyncio.run(produce(bootstrap, topics.orders, [_keyed(stamped)]))
            time.sleep(1.0)
        time.sleep(3.0)

    try:
        first.wait_ready()
        time.sleep(8)  # the group join completes (6 s session timeout)
        asyncio.run(produce(bootstrap, topics.shipments, raw))
        probes.append(_Probe(first))
        began = time.monotonic()
        _wait_consumed([first], len(raw))
        phases.append(("deciding the backlog", began, time.monotonic()))
        held = _wait_open_shipments(first, 60.0)
        began = time.monotonic()
        updates(wros[:3])
        phases.append(("3 order updates", began, time.monotonic()))
        # The updates' re-screens end before the join, so the join's count is the join's own.
        began = time.monotonic()
        rescreened = _wait_rescreens_settled(first, 300.0)
        phases.append(("the updates' re-screens settle", began, time.monotonic()))
        began = time.monotonic()
        tracer = _Tracer(bootstrap, topics.shipments, raw[-1][1])
        second = Worker(bootstrap, topics, "scale", "s1", command, **window)
        second.wait_ready()
        probes.append(_Probe(second))
        time.sleep(15.0)  # the rebalance and the restores, with new shipments coming
        traced = tracer.stop()
        restored = _wait_open_shipments(second, 120.0)
        phases.append(("a second worker joins and restores", began, time.monotonic()))
        joined = [
            first.metrics().get(_RESCREENS, 0.0) - rescreened,
            second.metrics().get(_RESCREENS, 0.0),
        ]
        began = time.monotonic()
        updates(wros[3:])
        phases.append(("3 more order updates", began, time.monotonic()))
        stalls = [_stall_counts(worker.metrics()) for worker in (first, second)]
    finally:
        for probe in probes:
            probe.stop()
        for worker in (first, second):
            if worker is not None:
                worker.stop()
    print(
        f"  {label}: {held:,.0f} open shipments on one worker; the second restored"
        f" {restored:,.0f} of them; /healthz every 0.1 s, the slowest answer in ms"
        " (worker 1 / worker 2), and the phase's length:"
    )
    for phase, start, end in phases:
        slowest = [f"{probe.slowest(start, end) * 1e3:,.0f}" for probe in probes]
        print(f"    {phase:36} {' / '.join(slowest):>15}   ({end - start:.1f} s)")
    for n, counts in enumerate(stalls, 1):
        if counts is not None:
            print(f"    worker {n}'s own probe (screener_event_loop_stall_seconds): {counts}")
    print(f"    open shipments re-decided before the join (3 updates, dates): {rescreened:,.0f}")
    print(
        "    open shipments re-decided through the join (the kept ones, the restored ones):"
        f" {joined[0]:,.0f} / {joined[1]:,.0f}"
    )
    delays = asyncio.run(_traced_delays(bootstrap, topics.decisions, traced))
    for worker_id, found in sorted(delays.items()):
        print(
            f"    new shipments filed 20/s through the join, decided by {worker_id}:"
            f" {len(found)}, produce -> decision p50 {quantile(found, 0.5) * 1e3:,.0f} ms,"
            f" max {max(found) * 1e3:,.0f} ms"
        )


_RESCREENS = "screener_rescreens_total"
_RESCREEN_BACKLOG = "screener_rescreen_backlog"


class _Tracer:
    """New shipments filed 20 a second from a thread, each stamped with when it was sent."""

    def __init__(self, bootstrap: str, topic: str, template: bytes) -> None:
        self.bootstrap, self.topic = bootstrap, topic
        self.event = decode(ShipmentEvent, template)
        self.sent: dict[str, float] = {}
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)
        self._thread.start()

    async def _run(self) -> None:
        producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap)
        await producer.start()
        try:
            n = 0
            while not self._stopped.is_set():
                shipment_id = f"trace-{n}"
                event = self.event.model_copy(
                    update={"shipment_id": shipment_id, "event_id": f"trace-evt-{n}"}
                )
                self.sent[shipment_id] = time.time()
                await producer.send(self.topic, encode(event), key=shipment_id.encode())
                n += 1
                await asyncio.sleep(0.05)
        finally:
            await producer.stop()

    def stop(self) -> dict[str, float]:
        self._stopped.set()
        self._thread.join()
        return self.sent


async def _traced_delays(
    bootstrap: str, topic: str, sent: dict[str, float]
) -> dict[str, list[float]]:
    """Each traced shipment's first decision: its delay, by the worker that made it."""
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", fetch_max_wait_ms=10
    )
    await consumer.start()
    found: dict[str, tuple[str, float]] = {}
    deadline = time.monotonic() + 120.0
    try:
        while len(found) < len(sent) and time.monotonic() < deadline:
            for records in (await consumer.getmany(timeout_ms=200)).values():
                for record in records:
                    key = (record.key or b"").decode()
                    if key in sent and key not in found:
                        worker = dict(record.headers).get("worker", b"?").decode()
                        found[key] = (worker, record.timestamp / 1000 - sent[key])
    finally:
        await consumer.stop()
    delays: dict[str, list[float]] = {}
    for worker, delay in found.values():
        delays.setdefault(worker, []).append(delay)
    if len(found) < len(sent):
        delays[f"nobody ({len(sent) - len(found)} undecided)"] = [0.0]
    return delays


class _Probe:
    """A `/healthz` request every 0.1 s from a thread: how long each took to answer."""

    def __init__(self, worker: Worker) -> None:
        self.url = f"http://127.0.0.1:{worker.port}/healthz"
        self.samples: list[tuple[float, float]] = []
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stopped.is_set():
            started = time.monotonic()
            with contextlib.suppress(OSError), urllib.request.urlopen(self.url, timeout=30) as r:
                r.read()
            self.samples.append((started, time.monotonic() - started))
            self._stopped.wait(0.1)

    def slowest(self, start: float, end: float) -> float:
        return max((took for at, took in self.samples if start <= at <= end), default=0.0)

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join()


def _wait_open_shipments(worker: Worker, timeout: float) -> float:
    """The worker's open shipments once the number has held still for 3 s (its restore done)."""
    deadline, last, since = time.monotonic() + timeout, -1.0, time.monotonic()
    while time.monotonic() < deadline:
        try:
            held = worker.metrics().get("screener_open_shipments", 0.0)
        except OSError:  # its loop held past the scrape's timeout (2 s): still restoring
            held = -1.0
        if held != last:
            last, since = held, time.monotonic()
        elif held > 0 and time.monotonic() - since >= 3.0:
            return held
        time.sleep(0.25)
    raise TimeoutError(f"{worker.worker_id}: open shipments still changing after {timeout} s")


def _wait_rescreens_settled(worker: Worker, timeout: float) -> float:
    """The worker's re-screens so far, once none waits and the count held still for 3 s."""
    deadline, last, since = time.monotonic() + timeout, -1.0, time.monotonic()
    while time.monotonic() < deadline:
        try:
            metrics = worker.metrics()
        except OSError:  # its loop held past the scrape's timeout (2 s): still re-screening
            time.sleep(0.25)
            continue
        done, waiting = metrics.get(_RESCREENS, 0.0), metrics.get(_RESCREEN_BACKLOG, 0.0)
        if done != last or waiting:
            last, since = done, time.monotonic()
        elif time.monotonic() - since >= 3.0:
            return done
        time.sleep(0.25)
    raise TimeoutError(f"{worker.worker_id}: re-screens still running after {timeout} s")


def _stall_counts(metrics: dict[str, float]) -> str | None:
    """How many of the probe's wake-ups came later than each bound (None: no such metric)."""
    name = "screener_event_loop_stall_seconds_bucket"
    total = metrics.get(f'{name}{{le="+Inf"}}')
    if total is None:
        return None
    late = []
    for bound in ("0.1", "0.25", "1.0", "2.5"):
        within = metrics.get(name + '{le="' + bound + '"}', total)
        late.append(f"{total - within:.0f} over {bound} s")
    return f"{total:.0f} wake-ups, " + ", ".join(late)


def _new_wros(events: list[ShipmentEvent], count: int) -> list[Order]:
    makers = Counter(line.manufacturer.name for event in events for line in event.lines)
    ranked = [name for name, _ in makers.most_common()]
    step = max(len(ranked) // (count * 4), 1)  # frequent and rare manufacturers alike
    return [
        Order.model_validate(
            {
                "order_id": f"bench-wro-{n}",
                "version": 1,
                "kind": "wro",
                "title": f"Bench WRO {n}",
                "entities": [{"name": name}],
                "timeline": [{"kind": "in_force", "effective": "2024-01-01"}],
            }
        )
        for n, name in enumerate(ranked[::step][:count])
    ]


def _keyed(order: Order) -> tuple[bytes, bytes]:
    return order.order_id.encode(), encode(order)


async def _superseding(bootstrap: str, topic: str) -> list[tuple[float, Decision]]:
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", fetch_max_wait_ms=10
    )
    await consumer.start()
    found: list[tuple[float, Decision]] = []
    try:
        idle = 0
        while idle < 5:
            batches = await consumer.getmany(timeout_ms=200)
            idle = 0 if batches else idle + 1
            for records in batches.values():
                for record in records:
                    decision = decode(Decision, record.value)
                    if decision.supersedes is not None:
                        found.append((record.timestamp / 1000, decision))
        return found
    finally:
        await consumer.stop()


def _report_rescreens(open_now: float, orders: int, found: list[tuple[float, Decision]]) -> None:
    last: dict[str, float] = {}
    committed: dict[str, float] = {}
    for stamp, decision in found:
        cause = decision.cause
        if cause is None or cause.committed_at is None:
            continue
        last[cause.order_id] = max(last.get(cause.order_id, 0.0), stamp)
        committed[cause.order_id] = cause.committed_at.timestamp()
    delays = sorted(last[oid] - committed[oid] for oid in last)
    if not delays:
        print(f"  re-screens: {orders} new WROs over {open_now:,.0f} open shipments: none changed")
        return
    per_order = Counter(decision.cause.order_id for _, decision in found if decision.cause)
    print(
        f"  re-screens: {orders} new WROs, one a second, over {open_now:,.0f} open shipments on 2"
        f" workers: {len(found):,} superseding decisions ({min(per_order.values())}-"
        f"{max(per_order.values())} per order, {len(delays)} orders changed something)"
    )
    print(
        f"  order commit -> last superseding decision: p50 {quantile(delays, 0.5) * 1000:.0f} ms,"
        f" p99 {quantile(delays, 0.99) * 1000:.0f} ms, max {delays[-1] * 1000:.0f} ms"
    )


def plain_latencies(
    rates: list[int], keyed_orders: list[tuple[bytes, bytes]], listed: list[str]
) -> None:
    """The control: the plain aiokafka loop, same broker kind, same offered loads."""
    with _broker_with_orders("latplain", keyed_orders) as (broker, topics):
        total = str(sum(rate * 10 for rate in rates))
        args = [sys.executable, __file__, "--plain", broker.bootstrap, topics.orders]
        args += [topics.shipments, total, topics.decisions]
        plain = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        try:
            assert plain.stdout is not None and plain.stdout.readline().strip() == "ready"
            events = shipments(5000, listed, seed=31)
            for rate in rates:
                delays = asyncio.run(latency(broker.bootstrap, topics, events, rate, 10.0))
                p50, p99 = quantile(delays, 0.5) * 1000, quantile(delays, 0.99) * 1000
                print(
                    f"  plain loop e2e latency at {rate:>5,}/s: p50 {p50:6.1f} ms"
                    f"  p99 {p99:7.1f} ms  ({len(delays):,} decisions)"
                )
        finally:
            plain.kill()
            plain.wait()


async def _latency_with_updates(
    bootstrap: str,
    topics: Topics,
    events: list[ShipmentEvent],
    rate: int,
    base: list[Order],
    updates: int,
) -> list[float]:
    updating = asyncio.create_task(
        order_updates(bootstrap, topics.orders, base[rate % 7 :], updates)
    )
    delays = await latency(bootstrap, topics, events, rate, 10.0)
    await updating
    return delays


def _plain_in_subprocess(bootstrap: str, topics: Topics, count: int) -> dict[str, float]:
    args = [
        sys.executable,
        __file__,
        "--plain",
        bootstrap,
        topics.orders,
        topics.shipments,
        str(count),
    ]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout.strip().split()
    return {"seconds": float(out[-2]), "cpu": float(out[-1]), "events": float(count)}


def _report_throughput(
    plain: dict[str, float], one: dict[str, float], two: dict[str, float]
) -> None:
    def rate(run: dict[str, float]) -> float:
        return run["events"] / run["seconds"]

    def per_cpu(run: dict[str, float]) -> float:
        return run["events"] / run["cpu"]

    for label, run in (
        ("plain aiokafka loop, 1 process", plain),
        ("faust worker, 1 process", one),
        ("faust workers, 2 processes", two),
    ):
        broker = f"; broker {run['broker_cpu']:.1f} CPU-s" if "broker_cpu" in run else ""
        if "all_seconds" in run:  # also counting the time the shipments were being produced
            broker += f"; {run['events_total'] / run['all_seconds']:,.0f}/s from the first decision"
        print(
            f"  {label:32} {rate(run):8,.0f} shipments/s ({per_cpu(run):,.0f} per CPU-s;"
            f" {run['cpu']:.1f} CPU-s over {run['seconds']:.1f} s{broker})"
        )
    print(
        f"  ratio faust/plain: {rate(one) / rate(plain):.2f} wall,"
        f" {per_cpu(one) / per_cpu(plain):.2f} per CPU-s;"
        f" 2 workers / 1: {rate(two) / rate(one):.2f}x"
    )


def main() -> None:
    if sys.argv[1:2] == ["--plain"]:
        bootstrap, orders_topic, shipments_topic, count, *decisions = sys.argv[2:]
        decided = decisions[0] if decisions else "plain-decisions"
        topics = Topics(orders_topic, shipments_topic, decided, "-")
        result = asyncio.run(plain_loop(bootstrap, topics, int(count)))
        print(result["seconds"], result["cpu"])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shipments", type=int, default=10_000)
    parser.add_argument("--rates", default="200,1000,5000")
    parser.add_argument("--parts", default="engine,throughput,latency,rescreen")
    parser.add_argument("--rounds", type=int, default=4, help="rounds of on and off (`ongoing`)")
    parser.add_argument("--synthetic", type=int, default=10_000, help="synthetic listed entities")
    parser.add_argument(
        "--scale-shipments", type=int, default=150_000, help="open shipments of `scale`"
    )
    parser.add_argument(
        "--order-updates",
        type=int,
        default=100,
        help="order updates at 20/s during each latency run (each one empties the name memo)",
    )
    parser.add_argument(
        "--before",
        type=Path,
        help="another checkout (the code before a change, its venv built): its worker runs as a"
        " third mode of `ongoing`, and after this checkout's in `latency`",
    )
    options = parser.parse_args()
    rates = [int(rate) for rate in options.rates.split(",")]
    run(
        options.shipments,
        rates,
        set(options.parts.split(",")),
        options.synthetic,
        options.order_updates,
        options.rounds,
        worker_command(options.before) if options.before else None,
        options.scale_shipments,
    )


if __name__ == "__main__":
    main()
