"""One running stack shared by the end-to-end tests of a module, stopped by the last test."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from e2e.processes import Running
from laborguard_platform.embedded_broker import free_port

STACK = [sys.executable, "-m", "laborguard_platform.cli", "stack"]


@dataclass
class StackUnderTest:
    running: Running
    run_dir: Path
    broker_port: int
    registry_port: int

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.broker_port}"

    @property
    def screener_ports(self) -> list[int]:
        """As printed by the stack once ready (it picks free ones)."""
        found = re.findall(
            r"screener-\d+ +metrics http://127.0.0.1:(\d+)/metrics", self.running.output
        )
        return [int(port) for port in found]


def start_stack(run_dir: Path, *options: str, workers: int = 2) -> StackUnderTest:
    broker, registry = free_port(), free_port()
    argv = [
        *STACK,
        f"--run-dir={run_dir}",
        f"--broker-port={broker}",
        f"--registry-port={registry}",
        "--screener-port=0",
        f"--workers={workers}",
        *options,
    ]
    # the developer's own LABORGUARD_* settings must not point the test at their services
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABORGUARD_")}
    return StackUnderTest(Running(argv, env=env), run_dir, broker, registry)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackUnderTest]:
    """The stack with two workers, replaying the whole bundled sample, left running."""
    run_dir = tmp_path_factory.mktemp("stack")
    under_test = start_stack(run_dir)
    try:
        under_test.running.wait_for("laborguard is running", timeout=120)
        yield under_test
    finally:
        under_test.running.stop()
