"""The pieces of `laborguard stack` that need nothing running: settings, tally, ports, children."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from laborguard_contracts import Decision, Outcome
from laborguard_platform import local_prometheus, session
from laborguard_platform.assembly import build
from laborguard_platform.children import Child
from laborguard_platform.errors import ServiceExitedError, StackError
from laborguard_platform.ports import claim
from laborguard_platform.readiness import check_alive
from laborguard_platform.stack import settings_from
from laborguard_platform.tally import Tally, summary
from laborguard_registry.settings import RegistrySettings
from laborguard_screener.settings import ScreenerSettings
from ops.promtool import promtool
from ops.settings_vars import variables_read_by

pytestmark = pytest.mark.unit

NOW = datetime(2024, 5, 1, tzinfo=UTC)


def _decision(outcome: Outcome, *order_ids: str) -> Decision:
    evidence = {
        "line_number": 1,
        "rule": "exact_name",
        "subject": "s",
        "observed": "o",
        "matched": "m",
    }
    matches = [
        {
            "order_id": o,
            "order_version": 1,
            "kind": "wro",
            "action": "detain",
            "evidence": [evidence],
        }
        for o in order_ids
    ]
    return Decision.model_validate(
        {
            "shipment_id": "S1",
            "event_id": "E1",
            "outcome": outcome,
            "matches": matches,
            "fuzzy_threshold": 90.0,
            "order_state_version": "v",
            "orders_in_state": 94,
            "engine_version": "test",
            "event_time": NOW,
            "as_of": NOW,
            "decided_at": NOW,
        }
    )


def test_tally_counts_outcomes_and_the_orders_behind_each_detention() -> None:
    tally = Tally(shipments=4, dead_letters=1)
    for decision in (
        _decision(Outcome.DETAIN, "wro-a", "uflpa-b"),
        _decision(Outcome.DETAIN, "wro-a"),
        _decision(Outcome.RELEASE),
    ):
        tally.record(decision)
    assert tally.outcomes == {Outcome.DETAIN: 2, Outcome.RELEASE: 1}
    assert tally.detained_by_order.most_common(1) == [("wro-a", 2)]
    assert tally.settled == 4
    text = summary(tally)
    assert "Decisions: 3 for 4 shipment events" in text
    assert "DETAIN          2   66.7%" in text


def test_an_external_kafka_replaces_the_embedded_broker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABORGUARD_KAFKA_BOOTSTRAP", "kafka.example:9092")
    assert not settings_from([]).embedded_broker
    monkeypatch.delenv("LABORGUARD_KAFKA_BOOTSTRAP")
    assert settings_from([]).embedded_broker


def test_command_line_options_override_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABORGUARD_STACK_WORKERS", "3")
    monkeypatch.setenv("LABORGUARD_REGISTRY_PORT", "9999")
    settings = settings_from(["--workers", "1", "--no-replay", "--run-dir", "/tmp/x"])
    assert (settings.workers, settings.replay, settings.registry_port) == (1, False, 9999)
    assert settings.database_url == "sqlite:////tmp/x/registry.sqlite3"


def test_a_database_url_setting_is_passed_to_the_registry_unchanged() -> None:
    url = "postgresql+psycopg://u@db/laborguard"
    assert settings_from(["--database-url", url]).database_url == url


def test_a_port_in_use_is_refused_with_a_clear_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        with pytest.raises(StackError, match=f"port {port} for the registry is in use"):
            claim(port, "registry")
    assert claim(0, "registry") > 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(") ", 1)[1][0] != "Z"


def test_stopping_a_child_ends_its_whole_process_group(tmp_path: Path) -> None:
    pid_file = tmp_path / "grandchild.pid"
    script = (
        "import subprocess, sys, time;"
        f"p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']);"
        f"open({str(pid_file)!r}, 'w').write(str(p.pid));"
        "time.sleep(60)"
    )
    child = Child("sleeper", [sys.executable, "-c", script], tmp_path / "sleeper.log")
    child.start()
    deadline = time.monotonic() + 10
    while not pid_file.exists() or not pid_file.read_text():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    grandchild = int(pid_file.read_text())
    child.stop(timeout=5)
    time.sleep(0.2)
    assert not _alive(grandchild)
    assert child.exit_code is None and child.pid is None


def test_a_child_that_exits_is_reported_with_the_end_of_its_log(tmp_path: Path) -> None:
    code = "print('cannot bind port 8080'); raise SystemExit(3)"
    child = Child("registry", [sys.executable, "-c", code], tmp_path / "registry.log")
    child.start()
    deadline = time.monotonic() + 10
    while child.exit_code is None:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    with pytest.raises(
        ServiceExitedError, match=r"registry exited with status 3(.|\n)*cannot bind"
    ):
        check_alive(child)
    child.stop()


def test_a_child_does_not_outlive_a_killed_stack(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    parent = (
        "import sys, time;"
        "from pathlib import Path;"
        "from laborguard_platform.children import Child;"
        "sleep = [sys.executable, '-c', 'import time; time.sleep(60)'];"
        f"c = Child('c', sleep, Path({str(tmp_path / 'c.log')!r}));"
        f"c.start(); open({str(pid_file)!r}, 'w').write(str(c.pid)); time.sleep(60)"
    )
    stack = Child("stack", [sys.executable, "-c", parent], tmp_path / "stack.log")
    stack.start()
    deadline = time.monotonic() + 10
    while not pid_file.exists() or not pid_file.read_text():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    orphan = int(pid_file.read_text())
    assert stack.pid is not None
    os.kill(stack.pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while _alive(orphan) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = _alive(orphan)
    stack.stop()
    if alive:
        os.kill(orphan, signal.SIGKILL)
    assert not alive


def test_the_stack_configures_its_services_only_with_variables_they_read(tmp_path: Path) -> None:
    settings = settings_from(
        ["--run-dir", str(tmp_path), "--broker-port=0", "--registry-port=0", "--screener-port=0"]
    )
    stack = build(settings)
    assert set(stack.registry.child.env) <= variables_read_by(RegistrySettings)
    for screener in stack.screeners:
        assert set(screener.child.env) <= variables_read_by(ScreenerSettings)
    assert stack.registry.child.env["LABORGUARD_REGISTRY_DATABASE_URL"] == settings.database_url


def test_the_stacks_prometheus_config_scrapes_its_ports_and_loads_the_alert_rules(
    tmp_path: Path,
) -> None:
    path = tmp_path / "prometheus.yml"
    path.write_text(local_prometheus.config(8080, [6066, 6067]))
    document = json.loads(path.read_text())
    targets = {
        job["job_name"]: job["static_configs"][0]["targets"] for job in document["scrape_configs"]
    }
    assert targets == {
        "registry": ["127.0.0.1:8080"],
        "screener": ["127.0.0.1:6066", "127.0.0.1:6067"],
    }
    result = promtool("check", "config", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS: 2 rule files found" in result.stdout + result.stderr


async def test_settling_gives_up_when_decisions_stop_coming() -> None:
    stuck = Tally(shipments=5, decisions=2)
    with pytest.raises(StackError, match=r"no progress for 0.4s: 2 of 5 replayed events"):
        await session._settle(stuck, published=5, stall_seconds=0.4)


async def test_settling_waits_as_long_as_decisions_keep_coming() -> None:
    tally = Tally(shipments=6)

    async def decide_slowly() -> None:
        for _ in range(6):
            await asyncio.sleep(0.25)
            tally.decisions += 1

    deciding = asyncio.create_task(decide_slowly())
    await session._settle(tally, published=6, stall_seconds=0.6)  # 1.5 s in all
    await deciding
    assert tally.settled == 6


def test_an_embedded_broker_run_starts_without_state_from_an_earlier_broker(
    tmp_path: Path,
) -> None:
    (tmp_path / "registry.sqlite3").write_text("old")
    (tmp_path / "registry.sqlite3-wal").write_text("old")
    (tmp_path / "screener-1" / "tables").mkdir(parents=True)
    (tmp_path / "registry.log").write_text("kept")
    ports = ["--broker-port=0", "--registry-port=0", "--screener-port=0"]
    build(settings_from(["--run-dir", str(tmp_path), *ports]))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["registry.log"]


def test_an_external_kafka_run_keeps_the_screeners_state(tmp_path: Path) -> None:
    (tmp_path / "screener-1").mkdir()
    options = ["--run-dir", str(tmp_path), "--kafka-bootstrap=kafka:9092"]
    options += ["--registry-port=0", "--screener-port=0"]
    build(settings_from(options))
    assert (tmp_path / "screener-1").is_dir()
