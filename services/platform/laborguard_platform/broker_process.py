"""The embedded broker as one of the stack's children.

The same command line as `embedded_broker.EmbeddedBroker`, run as a `Child` so that the stack
watches it like every other part (a broker that dies ends the run with its log) and so that it,
too, cannot outlive a killed stack.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from laborguard_platform.apache_kafka import READY_MARK, KafkaLaunchError, resolve_libs
from laborguard_platform.children import Child
from laborguard_platform.embedded_broker import broker_binary, wait_for_port
from laborguard_platform.errors import StackError
from laborguard_platform.readiness import check_alive


def broker_child(port: int, run_dir: Path) -> Child:
    url = f"tcp://127.0.0.1:{port}"
    argv = [str(broker_binary()), "broker", "--listener-url", url, "--advertised-listener-url", url]
    env = {"RUST_LOG": os.environ.get("RUST_LOG", "warn")}
    return Child("broker", argv, run_dir / "broker.log", env)


def start_broker(broker: Child, port: int, timeout: float = 20.0) -> None:
    broker.start()
    try:
        wait_for_port("127.0.0.1", port, timeout)
    except TimeoutError as exc:
        check_alive(broker)  # an exit is reported with the end of its log
        raise StackError(f"the embedded broker did not listen on {port}: {exc}") from exc


def apache_child(port: int, run_dir: Path) -> Child:
    """One node of the pinned Apache Kafka, through its launcher, in run_dir/kafka (made afresh)."""
    argv = [sys.executable, "-m", "laborguard_platform.apache_kafka", "run", "--child"]
    argv += ["--port", str(port), "--workdir", str(run_dir / "kafka")]
    return Child("broker", argv, run_dir / "broker.log")


def start_apache_broker(broker: Child, timeout: float = 180.0) -> None:
    """Resolves the jars (first use: Maven), starts the launcher, waits for its ready line."""
    try:
        resolve_libs()
    except KafkaLaunchError as exc:
        raise StackError(str(exc)) from exc
    broker.log_path.unlink(missing_ok=True)
    broker.start()
    deadline = time.monotonic() + timeout
    while READY_MARK not in _text(broker.log_path):
        check_alive(broker)
        if time.monotonic() > deadline:
            raise StackError(f"Apache Kafka not ready after {timeout:.0f}s: {broker.log_tail()}")
        time.sleep(0.2)


def _text(path: Path) -> str:
    try:
        return path.read_text(errors="replace")
    except FileNotFoundError:
        return ""
