"""Registry benchmark: order changes per second sustained from API call to topic, and the
commit-to-topic latency (registry commit time `updated_at` -> message read from `orders`).

Runs the real console command (`laborguard registry`) against a fresh PostgreSQL database and
an embedded broker, drives amendments over HTTP from concurrent clients, and reads the topic.

    .venv/bin/python bench/registry_bench.py --changes 5000 --concurrency 16
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from multiprocessing import Event, Pipe, Process
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event as EventType
from pathlib import Path

import httpx
import psycopg
from aiokafka import AIOKafkaConsumer

from laborguard_contracts import Order
from laborguard_contracts.codec import decode, dumps
from laborguard_contracts.seed import load_seed
from laborguard_platform.embedded_broker import free_port, running_broker

ADMIN = "bench-admin-token-0123456789"
TOPIC = "orders"
TODAY = datetime.now(UTC).date().isoformat()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def officer_token(base: str) -> str:
    """An officer's token, so every request pays the token lookup as in production."""
    body = {"name": "bench-officer", "role": "officer", "reason": "benchmark"}
    response = httpx.post(f"{base}/tokens", json=body, headers={"Authorization": f"Bearer {ADMIN}"})
    response.raise_for_status()
    token: str = response.json()["token"]
    return token


def amendment(version: int) -> dict[str, object]:
    return {
        "expected_version": version,
        "effective": TODAY,
        "changes": {"notes": f"bench revision {version}"},
    }


def amend_request(host: str, token: str, order_id: str, first: int, count: int) -> bytes:
    """One amendment (count 0: POST /orders/{id}/amend), or `count` consecutive versions of the
    order in one bulk request (POST /orders/amendments)."""
    if count == 0:
        path = f"/orders/{order_id}/amend"
        body = dumps({**amendment(first), "reason": "benchmark"})
    else:
        path = "/orders/amendments"
        items = [{**amendment(v), "order_id": order_id} for v in range(first, first + count)]
        body = dumps({"amendments": items, "reason": "benchmark"})
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    return status, await reader.readexactly(length)


async def amend_orders(
    port: int, token: str, order_ids: list[str], per_order: int, batch: int, latencies: list[float]
) -> None:
    """One keep-alive connection, raw HTTP/1.1: the client must not starve the server."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    host = f"127.0.0.1:{port}"
    try:
        for order_id in order_ids:
            for first in range(1, per_order + 1, max(batch, 1)):
                count = min(batch, per_order + 1 - first)
                started = time.perf_counter()
                writer.write(amend_request(host, token, order_id, first, count))
                status, body = await read_response(reader)
                latencies.append(time.perf_counter() - started)
                if status != 200:
                    raise SystemExit(f"amend {order_id} v{first}: {status} {body[:300]!r}")
    finally:
        writer.close()


def client_process(
    port: int, token: str, slices: list[list[str]], per_order: int, batch: int, results: Connection
) -> None:
    """The HTTP clients of one process; sends back latencies and the process's CPU seconds."""
    latencies: list[float] = []

    async def write_all() -> None:
        await asyncio.gather(
            *(amend_orders(port, token, ids, per_order, batch, latencies) for ids in slices)
        )

    asyncio.run(write_all())
    results.send((latencies, time.process_time()))


def consume_process(bootstrap: str, expected: int, results: Connection, ready: EventType) -> None:
    """Reads the topic in a process of its own, so the HTTP clients cannot delay the reads."""
    lags: list[float] = []
    last = asyncio.run(consume(bootstrap, expected, lags, ready))
    results.send((lags, last))


async def consume(bootstrap: str, expected: int, lags: list[float], ready: EventType) -> float:
    consumer = AIOKafkaConsumer(
        TOPIC,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        group_id=None,
        fetch_max_wait_ms=10,
    )
    await consumer.start()
    await consumer.getmany(timeout_ms=500)  # assigned and positioned before the first change
    ready.set()
    last = 0.0
    try:
        while len(lags) < expected:
            batches = await consumer.getmany(timeout_ms=200)
            now = datetime.now(UTC)
            for records in batches.values():
                for record in records:
                    order = decode(Order, record.value)
                    if order.version > 1 and order.updated_at is not None:
                        lags.append((now - order.updated_at).total_seconds())
                        last = time.time()
    finally:
        await consumer.stop()
    return last


def cpu_seconds(pid: int) -> float:
    """CPU time of a process and its live descendants (the API workers)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    children = [
        int(child)
        for task in Path(f"/proc/{pid}/task").iterdir()
        for child in (task / "children").read_text().split()
    ]
    return own + sum(cpu_seconds(child) for child in children)


def machine_busy_seconds() -> float:
    """Busy CPU time of the whole machine (all processes, other engineers' too)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def postgres_seconds() -> float:
    """CPU time of every PostgreSQL server process (others' databases too)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        if "(postgres)" in text:
            fields = text.rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def drive(
    base: str, bootstrap: str, changes: int, concurrency: int, clients: int, batch: int, pid: int
) -> dict[str, float]:
    orders = [order.order_id for order in load_seed()]
    writers = min(concurrency, len(orders))
    per_order = max(1, changes // len(orders))
    total = per_order * len(orders)
    receiving, sending = Pipe(duplex=False)
    ready = Event()
    reader = Process(target=consume_process, args=(bootstrap, total, sending, ready))
    reader.start()
    ready.wait(60)
    token = officer_token(base)
    port = int(base.rsplit(":", 1)[1])
    slices = [orders[i::writers] for i in range(writers)]
    pipes = [Pipe(duplex=False) for _ in range(clients)]
    writers_of = [
        Process(
            target=client_process, args=(port, token, slices[i::clients], per_order, batch, pipe[1])
        )
        for i, pipe in enumerate(pipes)
    ]
    cpu_before = cpu_seconds(pid)
    machine_before, postgres_before = machine_busy_seconds(), postgres_seconds()
    started = time.time()
    for process in writers_of:
        process.start()
    http: list[float] = []
    client_cpu = 0.0
    for receiving_end, _ in pipes:
        latencies, cpu = receiving_end.recv()
        http.extend(latencies)
        client_cpu += cpu
    api_done = time.time()
    for process in writers_of:
        process.join()
    lags, last_read = receiving.recv()
    registry_cpu = cpu_seconds(pid) - cpu_before
    machine = machine_busy_seconds() - machine_before
    postgres = postgres_seconds() - postgres_before
    reader.join()
    return {
        "changes": total,
        "concurrency": writers,
        "client_processes": clients,
        "amendments_per_request": max(batch, 1),
        "api_changes_per_s": total / (api_done - started),
        "api_to_topic_changes_per_s": total / (last_read - started),
        "http_requests": len(http),
        "http_p50_ms": percentile(http, 0.50) * 1000,
        "http_p99_ms": percentile(http, 0.99) * 1000,
        "commit_to_topic_p50_ms": percentile(lags, 0.50) * 1000,
        "commit_to_topic_p99_ms": percentile(lags, 0.99) * 1000,
        "commit_to_topic_max_ms": max(lags) * 1000,
        "commit_to_topic_mean_ms": statistics.fmean(lags) * 1000,
        "registry_cpu_ms_per_change": registry_cpu / total * 1000,
        "http_client_cpu_ms_per_change": client_cpu / total * 1000,
        "postgres_cpu_ms_per_change": postgres / total * 1000,
        "machine_busy_cores": machine / (last_read - started),
    }


def wait_healthy(base: str, within: float = 60.0) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit("registry did not become ready")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--changes", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1, help="API worker processes")
    parser.add_argument("--clients", type=int, default=1, help="HTTP client processes")
    parser.add_argument(
        "--batch",
        type=int,
        default=0,
        help="0: one amendment per request (the single-change figure); N: bulk requests of N",
    )
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    database = f"bench{uuid.uuid4().hex[:8]}"
    with psycopg.connect(args.postgres, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    base_url = args.postgres.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    port = free_port()
    try:
        with running_broker() as broker:
            env = {
                **os.environ,
                "LABORGUARD_REGISTRY_DATABASE_URL": f"{base_url}/{database}",
                "LABORGUARD_KAFKA_BOOTSTRAP": broker.bootstrap,
                "LABORGUARD_REGISTRY_PORT": str(port),
                "LABORGUARD_REGISTRY_ADMIN_TOKEN": ADMIN,
                "LABORGUARD_REGISTRY_SEED_ON_START": "true",
                "LABORGUARD_REGISTRY_LOG_LEVEL": "warning",
                "LABORGUARD_REGISTRY_API_WORKERS": str(args.workers),
                # with workers the relay is not woken by commits: it polls
                "LABORGUARD_REGISTRY_RELAY_POLL_SECONDS": "0.02" if args.workers > 1 else "0.2",
            }
            command = Path(sys.executable).parent / "laborguard"
            registry = subprocess.Popen([str(command), "registry"], env=env)
            try:
                base = f"http://127.0.0.1:{port}"
                wait_healthy(base)
                figures = drive(
                    base,
                    broker.bootstrap,
                    args.changes,
                    args.concurrency,
                    args.clients,
                    args.batch,
                    registry.pid,
                )
            finally:
                registry.send_signal(signal.SIGTERM)
                registry.wait(30)
    finally:
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        f"registry bench {datetime.now(UTC):%Y-%m-%d %H:%M} UTC (PostgreSQL, embedded broker, "
        f"{args.workers} API worker(s)); load average after the run {load}"
    )
    for name, value in figures.items():
        print(f"  {name:28s} {value:10.1f}")


if __name__ == "__main__":
    main()
