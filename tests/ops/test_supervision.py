"""The stack's supervision, with real child processes: a service that dies is restarted with a
doubling delay and said on screen; the broker's death ends the run; logs start fresh per run."""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import pytest

from laborguard_platform.children import Child
from laborguard_platform.errors import ServiceExitedError
from laborguard_platform.supervision import Backoff, Supervisor

pytestmark = pytest.mark.unit

SLEEP = [sys.executable, "-c", "import time; time.sleep(60)"]
CRASH = [sys.executable, "-c", "print('worker boom'); raise SystemExit(3)"]


def _exited(child: Child) -> None:
    deadline = time.monotonic() + 10
    while child.exit_code is None:
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_a_service_that_dies_is_restarted_with_doubling_delays(tmp_path: Path) -> None:
    crashing = Child("screener-1", CRASH, tmp_path / "screener-1.log")
    out = io.StringIO()
    supervisor = Supervisor([], [crashing], out, Backoff(first_seconds=1.0, longest_seconds=3.0))
    crashing.start()
    _exited(crashing)
    supervisor.check(now=100.0)
    assert "screener-1 exited with status 3; restarting it in 1s" in out.getvalue()
    supervisor.check(now=100.5)  # not yet due
    assert supervisor.restarts("screener-1") == 0
    supervisor.check(now=101.0)
    assert supervisor.restarts("screener-1") == 1
    assert "screener-1 restarted" in out.getvalue()
    _exited(crashing)
    supervisor.check(now=101.5)
    assert "restarting it in 2s" in out.getvalue()
    supervisor.check(now=103.5)
    _exited(crashing)
    supervisor.check(now=104.0)
    assert "restarting it in 3s" in out.getvalue()  # capped
    crashing.stop()
    log = (tmp_path / "screener-1.log").read_text()
    assert log.count("=== laborguard stack: screener-1 starting at") == 3
    assert crashing.log_tail() == "worker boom"  # only the last start's lines


def test_a_running_service_is_left_alone_and_a_dead_broker_ends_the_run(tmp_path: Path) -> None:
    broker = Child("broker", CRASH, tmp_path / "broker.log")
    worker = Child("screener-2", SLEEP, tmp_path / "screener-2.log")
    supervisor = Supervisor([broker], [worker], io.StringIO())
    worker.start()
    broker.start()
    _exited(broker)
    try:
        with pytest.raises(ServiceExitedError, match="broker exited with status 3"):
            supervisor.check(now=1.0)
        assert worker.exit_code is None and supervisor.restarts("screener-2") == 0
    finally:
        worker.stop()
        broker.stop()


def test_each_run_starts_a_fresh_log_keeping_the_previous_one(tmp_path: Path) -> None:
    log = tmp_path / "registry.log"
    log.write_text("an earlier run's error\n")
    child = Child("registry", CRASH, log)
    child.fresh_log()
    child.start()
    _exited(child)
    child.stop()
    assert "earlier run" not in log.read_text()
    assert (tmp_path / "registry.log.previous").read_text() == "an earlier run's error\n"
