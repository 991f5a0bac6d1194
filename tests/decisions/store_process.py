"""`laborguard decisions-store` as a process, for tests that kill it or drive it end to end."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import httpx
from aiokafka import AIOKafkaProducer

from laborguard_contracts.topics import ScreeningTopics
from laborguard_platform.embedded_broker import free_port

COMMAND = Path(sys.executable).parent / "laborguard"


class StoreProcess:
    def __init__(
        self, bootstrap: str, topics: ScreeningTopics, database_url: str, log_path: Path,
        **env: str,
    ) -> None:  # fmt: skip
        self.port = free_port()
        self.log_path = log_path
        self.env = {
            **os.environ,
            "LABORGUARD_KAFKA_BOOTSTRAP": bootstrap,
            "LABORGUARD_REGISTRY_DATABASE_URL": database_url,
            "LABORGUARD_DECISIONS_STORE_PORT": str(self.port),
            "LABORGUARD_DECISIONS_STORE_DECISIONS_TOPIC": topics.decisions,
            "LABORGUARD_DECISIONS_STORE_SHIPMENTS_TOPIC": topics.shipments,
            **{f"LABORGUARD_DECISIONS_STORE_{k.upper()}": v for k, v in env.items()},
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> StoreProcess:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [str(COMMAND), "decisions-store"],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return self

    def metrics(self) -> str:
        return httpx.get(f"http://127.0.0.1:{self.port}/metrics", timeout=2).text

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> int | None:
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:] if self.log_path.exists() else ""


def wait_for(condition: object, within: float, what: str, log: StoreProcess) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        assert log.alive(), log.log()
        time.sleep(0.05)
    raise AssertionError(f"{what} not reached within {within}s\n{log.log()}")


async def produce(bootstrap: str, topic: str, records: Iterable[tuple[bytes, bytes]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5, acks="all")
    await producer.start()
    try:
        await asyncio.gather(
            *[await producer.send(topic, value, key=key) for key, value in records]
        )
    finally:
        await producer.stop()
