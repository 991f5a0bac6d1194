"""Screener workers as real processes (the console script), and Kafka reads and writes."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaProducer, ConsumerRecord

from laborguard_contracts.topics import ScreeningTopics as Topics
from laborguard_platform.embedded_broker import free_port
from testbed.topic_reading import Records, read_until

SCREENER = [str(Path(__file__).resolve().parents[1] / ".venv" / "bin" / "laborguard"), "screener"]


class Worker:
    """One `laborguard screener` process; its log goes to a file the test can print on failure."""

    def __init__(
        self,
        bootstrap: str,
        topics: Topics,
        group: str,
        worker_id: str,
        workdir: Path,
        command: list[str] | None = None,
        **env: str,
    ) -> None:
        self.worker_id = worker_id
        self.command = command or SCREENER
        self.port = free_port()
        self.log_path = workdir / f"{worker_id}.log"
        self.env = {
            **os.environ,
            "LABORGUARD_KAFKA_BOOTSTRAP": bootstrap,
            "LABORGUARD_SCREENER_WEB_PORT": str(self.port),
            "LABORGUARD_SCREENER_GROUP_ID": group,
            "LABORGUARD_SCREENER_WORKER_ID": worker_id,
            "LABORGUARD_SCREENER_DATA_DIR": str(workdir / "data"),
            "LABORGUARD_SCREENER_ORDERS_TOPIC": topics.orders,
            "LABORGUARD_SCREENER_SHIPMENTS_TOPIC": topics.shipments,
            "LABORGUARD_SCREENER_DECISIONS_TOPIC": topics.decisions,
            "LABORGUARD_SCREENER_DEAD_LETTER_TOPIC": topics.dead_letters,
            "LABORGUARD_SCREENER_OPEN_SHIPMENTS_TOPIC": topics.open_shipments,
            **{f"LABORGUARD_SCREENER_{name.upper()}": value for name, value in env.items()},
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Worker:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        return self

    def get(self, path: str) -> tuple[int, Any]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=2) as r:
                body = r.read()
                status = r.status
        except urllib.error.HTTPError as exc:
            body, status = exc.read(), exc.code
        text = body.decode()
        return status, json.loads(text) if path != "/metrics" else text

    def readiness(self) -> dict[str, Any] | None:
        try:
            return self.get("/readyz")[1]  # type: ignore[no-any-return]
        except (OSError, ValueError):
            return None

    def wait_ready(self, timeout: float = 45.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None and self.process.poll() is None, self.log()
            state = self.readiness()
            if state is not None and state["ready"]:
                return state
            time.sleep(0.2)
        raise AssertionError(f"{self.worker_id} not ready after {timeout}s\n{self.log()}")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        self.terminate()
        if self.process is not None:
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def terminate(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""


async def produce(
    bootstrap: str,
    topic: str,
    records: Iterable[tuple[bytes | None, bytes | None]],
    partition: int | None = None,
) -> list[tuple[int, int]]:
    """Sends every (key, value); returns the (partition, offset) of each, in order."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5, acks="all")
    await producer.start()
    try:
        sent = [
            await producer.send(topic, value, key=key, partition=partition)
            for key, value in records
        ]
        metadata = await asyncio.gather(*sent)
    finally:
        await producer.stop()
    return [(m.partition, m.offset) for m in metadata]


async def read(bootstrap: str, topics: Iterable[str], count: int, within: float = 30.0) -> Records:
    """Every record of `topics` from the beginning, until `count` arrived or `within` s pass."""
    return await read_until(bootstrap, topics, lambda records: len(records) >= count, within)


async def read_sources(
    bootstrap: str,
    topics: Iterable[str],
    sources: Iterable[tuple[int, int]],
    within: float = 15.0,
    expected: Mapping[tuple[int, int], int] | None = None,
) -> dict[tuple[int, int], Records]:
    """The output records of the given shipment records (by source partition and offset): read
    until each has one output, or as many as `expected` says (a referral and its dead letter
    travel on two topics and may arrive apart)."""
    wanted = set(sources)
    counts = expected or {}

    def complete(got: Records) -> bool:
        by_source = found(got)
        return len(by_source) == len(wanted) and all(
            len(by_source[source]) >= counts.get(source, 1) for source in wanted
        )

    def found(records: Records) -> dict[tuple[int, int], Records]:
        by_source: dict[tuple[int, int], Records] = {}
        for record in records:
            if (source := source_of(record)) in wanted:
                by_source.setdefault(source, []).append(record)
        return by_source

    records = await read_until(bootstrap, topics, complete, within)
    return found(records)


def headers(record: ConsumerRecord[bytes, bytes]) -> dict[str, str]:
    return {name: value.decode() for name, value in record.headers}


def source_of(record: ConsumerRecord[bytes, bytes]) -> tuple[int, int] | None:
    """The shipment record an output answers; None for a superseding decision (it answers an
    order update, not a record)."""
    found = headers(record)
    if "source_partition" not in found:
        return None
    return int(found["source_partition"]), int(found["source_offset"])


@contextlib.contextmanager
def started_workers() -> Iterator[list[Worker]]:
    """Workers a test starts (append each started one): all terminated together, then stopped."""
    started: list[Worker] = []
    try:
        yield started
    finally:
        for worker in started:
            worker.terminate()
        for worker in started:
            worker.stop()
