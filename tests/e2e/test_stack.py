"""`laborguard stack` end to end: the replay, the metrics, a real Prometheus, a clean stop.

The tests of this module share one running stack and run in file order: the last one stops it.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest
import yaml
from aiokafka import AIOKafkaProducer
from ops.promql import SYNTHETIC, metric_names
from ops.rules import PROMETHEUS_DIR, all_queries, recorded_names
from prometheus_client.parser import text_string_to_metric_families

from e2e.conftest import StackUnderTest, start_stack
from e2e.processes import processes_mentioning, prometheus_binary, wait_http_ok
from laborguard_platform.embedded_broker import EmbeddedBroker, free_port
from laborguard_replay import history
from laborguard_replay.samples import SAMPLE_PATH

pytestmark = pytest.mark.e2e

SUMMARY = re.compile(r"Decisions: ([\d,]+) for ([\d,]+) shipment events")


def _decided(output: str) -> tuple[int, int]:
    decided, events = SUMMARY.findall(output)[-1]
    return int(decided.replace(",", "")), int(events.replace(",", ""))


def _sample_size() -> int:
    return sum(1 for _ in history.raw_lines(SAMPLE_PATH))


def test_replays_the_bundled_sample_and_summarises_every_decision(stack: StackUnderTest) -> None:
    stack.running.wait_for("Top orders behind detentions", timeout=120)
    assert _decided(stack.running.output) == (_sample_size(), _sample_size())
    assert re.search(r"DETAIN +[\d,]+ +\d+\.\d%", stack.running.output)
    assert f"http://127.0.0.1:{stack.registry_port}/metrics" in stack.running.output
    assert len(stack.screener_ports) == 2


async def _publish_poison(bootstrap: str) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait("shipments", b"{not json", key=b"poison-e2e")
    finally:
        await producer.stop()


def _sample_names(port: int) -> set[str]:
    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    return {
        sample.name for family in text_string_to_metric_families(text) for sample in family.samples
    }


def test_dashboards_and_alerts_query_only_metrics_the_services_export(
    stack: StackUnderTest,
) -> None:
    stack.running.wait_for("Top orders behind detentions", timeout=120)
    asyncio.run(_publish_poison(stack.bootstrap))  # so the dead-letter counter has a sample
    ports = [stack.registry_port, *stack.screener_ports]
    deadline = time.monotonic() + 30
    exported: set[str] = set()
    while "screener_dead_letters_total" not in exported and time.monotonic() < deadline:
        time.sleep(0.5)
        exported = set().union(*(_sample_names(port) for port in ports))
    queried = set().union(*(metric_names(query) for query in all_queries()))
    recorded = {name for name in queried if ":" in name}
    assert recorded <= recorded_names()
    assert queried - recorded - SYNTHETIC - exported == set()


def _prometheus_config(stack: StackUnderTest) -> dict[str, object]:
    def job(name: str, ports: list[int]) -> dict[str, object]:
        targets = [f"127.0.0.1:{port}" for port in ports]
        return {"job_name": name, "static_configs": [{"targets": targets}]}

    return {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": [str(PROMETHEUS_DIR / "rules" / "*.yml")],
        "scrape_configs": [
            job("registry", [stack.registry_port]),
            job("screener", stack.screener_ports),
        ],
    }


def _query(port: int, promql: str) -> list[dict[str, object]]:
    url = f"http://127.0.0.1:{port}/api/v1/query"
    body = httpx.get(url, params={"query": promql}, timeout=5).json()
    assert body["status"] == "success", body
    result: list[dict[str, object]] = body["data"]["result"]
    return result


def _wait_value(port: int, promql: str, expected: float, timeout: float) -> float:
    deadline = time.monotonic() + timeout
    value = float("nan")
    while time.monotonic() < deadline:
        result = _query(port, promql)
        value = float(result[0]["value"][1]) if result else float("nan")  # type: ignore[index]
        if value == expected:
            break
        time.sleep(0.5)
    return value


def test_a_real_prometheus_scrapes_the_stack_and_answers_a_screener_metric(
    stack: StackUnderTest, tmp_path: Path
) -> None:
    stack.running.wait_for("Top orders behind detentions", timeout=120)
    config = tmp_path / "prometheus.yml"
    config.write_text(yaml.safe_dump(_prometheus_config(stack)))
    port = free_port()
    prometheus = subprocess.Popen(
        [
            prometheus_binary(),
            f"--config.file={config}",
            f"--storage.tsdb.path={tmp_path / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "prometheus.log").open("wb"),
    )
    try:
        wait_http_ok(f"http://127.0.0.1:{port}/-/ready", timeout=30)
        assert _wait_value(port, 'count(up{job="screener"} == 1)', 2, timeout=30) == 2
        # the poison record of the test above names its shipment (its key): REFER, not counted
        # among the sample's decisions
        replayed = 'sum(screener_decisions_total{outcome!="REFER"})'
        decided = _wait_value(port, replayed, _sample_size(), timeout=30)
        assert decided == _sample_size()
        referred = 'sum(screener_referrals_total{reason="invalid_event"})'
        assert _wait_value(port, referred, 1, timeout=30) == 1
        # the alert rules loaded, and a recording rule evaluates on the real series
        shipments_lag = 'topic:screener_consumer_lag:sum{topic="shipments"}'
        assert _wait_value(port, shipments_lag, 0, timeout=30) == 0
    finally:
        prometheus.terminate()
        prometheus.wait(30)


def _refuses_connections(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def test_ctrl_c_stops_the_stack_and_leaves_nothing_running(stack: StackUnderTest) -> None:
    stack.running.wait_for("laborguard is running", timeout=120)
    ports = [stack.broker_port, stack.registry_port, *stack.screener_ports]
    assert stack.running.stop() == 0, stack.running.output
    assert "Stopped; nothing left running." in stack.running.output
    assert processes_mentioning(str(stack.run_dir)) == []
    assert processes_mentioning(f"127.0.0.1:{stack.broker_port}") == []
    assert all(_refuses_connections(port) for port in ports)


def test_runs_on_an_external_kafka_and_postgresql_then_republishes_to_a_new_broker(
    tmp_path: Path, own_broker: EmbeddedBroker, postgres_url: str
) -> None:
    """Run 1: external Kafka and PostgreSQL, replay, exit once all decided. Run 2: the same
    database with a new embedded broker: the stack has the registry republish its orders and is
    ready only once the screener holds every one of them."""
    first = start_stack(
        tmp_path / "external",
        f"--kafka-bootstrap={own_broker.bootstrap}",
        f"--database-url={postgres_url}",
        "--exit-after-replay",
        "--replay-limit=200",
        workers=1,
    )
    assert first.running.wait_exit(120) == 0, first.running.output
    assert f"{own_broker.bootstrap} (external)" in first.running.output
    assert _decided(first.running.output) == (200, 200)
    assert own_broker.running  # an external broker is not the stack's to stop

    second = start_stack(
        tmp_path / "embedded",
        f"--database-url={postgres_url}",
        "--no-replay",
        "--exit-after-replay",
        workers=1,
    )
    assert second.running.wait_exit(120) == 0, second.running.output
    assert "(embedded)" in second.running.output


def test_sigterm_while_starting_stops_everything_already_started(tmp_path: Path) -> None:
    under_test = start_stack(tmp_path, workers=1)
    under_test.running.wait_for("Starting:", timeout=60)
    assert under_test.running.stop(signal.SIGTERM, timeout=60) == 0, under_test.running.output
    assert "laborguard is running" not in under_test.running.output
    assert "Stopped; nothing left running." in under_test.running.output
    assert processes_mentioning(str(tmp_path)) == []
    assert processes_mentioning(under_test.bootstrap) == []


def test_an_unreachable_kafka_is_one_clear_error_and_nothing_is_left_running(
    tmp_path: Path,
) -> None:
    nowhere = f"127.0.0.1:{free_port()}"
    under_test = start_stack(tmp_path, f"--kafka-bootstrap={nowhere}", "--no-replay", workers=1)
    assert under_test.running.wait_exit(60) == 1
    assert f"laborguard stack: error: cannot create the topics on Kafka at {nowhere}" in (
        under_test.running.output
    )
    assert "Traceback" not in under_test.running.output
    assert processes_mentioning(str(tmp_path)) == []


def test_a_broker_that_dies_ends_the_run_with_its_log_and_nothing_left_running(
    tmp_path: Path,
) -> None:
    under_test = start_stack(tmp_path, "--no-replay", workers=1)
    under_test.running.wait_for("laborguard is running", timeout=120)
    (broker,) = processes_mentioning(f"tcp://{under_test.bootstrap}", environment=False)
    os.kill(broker, signal.SIGKILL)
    assert under_test.running.wait_exit(60) == 1
    assert "laborguard stack: error: broker exited with status -9" in under_test.running.output
    assert processes_mentioning(str(tmp_path)) == []
