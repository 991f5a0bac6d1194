"""Replay and collect against the real broker (topics named per test)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import pytest
from aiokafka import AIOKafkaProducer

from laborguard_contracts import Decision, ShipmentEvent
from laborguard_contracts.codec import encode
from laborguard_replay import history
from laborguard_replay.collecting import collect
from laborguard_replay.pacing import Pace, Window, moment
from laborguard_replay.replay import main, replay_file
from laborguard_replay.settings import ReplaySettings
from testbed.topic_reading import read_count

from .collected import decision

# replay is what `make run` does: also on the embedded broker
pytestmark = [pytest.mark.integration, pytest.mark.embedded_too]

WINDOW = Window(moment("2020-09-14"), moment("2020-11-01"))


async def _consume(bootstrap: str, topic: str, count: int) -> list[tuple[bytes, bytes]]:
    return [(r.key or b"", r.value or b"") for r in await read_count(bootstrap, topic, count, 20)]


@pytest.fixture
def autumn(window_file: Callable[[str, str], Path]) -> Path:
    """The sample from August 2020 to March 2021: events on both sides of WINDOW."""
    return window_file("2020-08-01", "2021-03-01")


def _expected(path: Path) -> list[tuple[bytes, bytes]]:
    return [
        (r.message.shipment_id.encode(), r.raw)
        for r in history.read(path, ShipmentEvent)
        if WINDOW.contains(r.message.event_time)
    ]


async def test_replay_publishes_every_event_of_the_window_with_its_original_bytes(
    bootstrap: str, unique_name: str, autumn: Path
) -> None:
    settings = ReplaySettings(kafka_bootstrap=bootstrap, shipments_topic=unique_name)
    result = await replay_file(settings, autumn, pace=Pace(None), window=WINDOW)
    expected = _expected(autumn)
    assert result.published == len(expected) > 50
    received = await _consume(bootstrap, unique_name, len(expected))
    assert sorted(received) == sorted(expected)


async def test_paced_replay_takes_the_history_span_divided_by_the_speed(
    bootstrap: str, unique_name: str, autumn: Path
) -> None:
    settings = ReplaySettings(kafka_bootstrap=bootstrap, shipments_topic=unique_name)
    window = Window(moment("2020-09-14"), moment("2020-09-21"))
    started = time.monotonic()
    result = await replay_file(settings, autumn, pace=Pace(86_400 * 4), window=window)
    elapsed = time.monotonic() - started
    assert result.published > 5
    assert 1.0 <= elapsed < 6.0  # ~7 days of history at 4 days per second: ~1.75 s


def test_command_line_replays_a_window_and_reports_counts(
    bootstrap: str, unique_name: str, capsys: pytest.CaptureFixture[str], autumn: Path
) -> None:
    main(
        [
            str(autumn),
            "--as-fast-as-possible",
            "--since",
            "2020-09-14",
            "--until",
            "2020-11-01",
            "--bootstrap",
            bootstrap,
            "--topic",
            unique_name,
            "--quiet",
        ]
    )
    report = capsys.readouterr().err
    assert f"published {len(_expected(autumn))} of " in report


async def _publish_decisions(bootstrap: str, topic: str, numbers: range = range(30)) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for n in numbers:
            await producer.send(topic, encode(decision(n)), key=f"S{n}".encode())
        await producer.send_and_wait(topic, b"not a decision", key=b"bad")
    finally:
        await producer.stop()


def test_collect_writes_each_decision_once_and_skips_garbage(
    bootstrap: str, unique_name: str, tmp_path: Path
) -> None:
    asyncio.run(_publish_decisions(bootstrap, unique_name))
    settings = ReplaySettings(kafka_bootstrap=bootstrap, decisions_topic=unique_name)
    out = tmp_path / "run.jsonl"
    with open(out, "wb") as sink:
        result = asyncio.run(collect(settings, sink, count=None, idle_seconds=2.0))
    assert (result.written, result.invalid, result.idle_stop) == (30, 1, True)
    assert sorted(r.message.shipment_id for r in history.read(out, Decision)) == sorted(
        f"S{n}" for n in range(30)
    )


def test_collect_stops_at_the_count_asked_for(
    bootstrap: str, unique_name: str, tmp_path: Path
) -> None:
    asyncio.run(_publish_decisions(bootstrap, unique_name))
    settings = ReplaySettings(kafka_bootstrap=bootstrap, decisions_topic=unique_name)
    with open(tmp_path / "run.jsonl", "wb") as sink:
        result = asyncio.run(collect(settings, sink, count=12, idle_seconds=5.0))
    assert (result.written, result.idle_stop) == (12, False)
    assert len((tmp_path / "run.jsonl").read_bytes().splitlines()) == 12


async def _collect_latest_while_publishing(bootstrap: str, topic: str, sink: BinaryIO) -> int:
    settings = ReplaySettings(kafka_bootstrap=bootstrap, decisions_topic=topic)
    positioned = asyncio.Event()
    task = asyncio.create_task(
        collect(settings, sink, count=7, idle_seconds=10.0, from_start=False, ready=positioned)
    )
    await asyncio.wait_for(positioned.wait(), 30)  # it has found the end of the topic
    await _publish_decisions(bootstrap, topic, range(100, 107))
    return (await asyncio.wait_for(task, 30)).written


def test_collect_latest_takes_only_decisions_published_after_it_started(
    bootstrap: str, unique_name: str, tmp_path: Path
) -> None:
    asyncio.run(_publish_decisions(bootstrap, unique_name, range(5)))
    out = tmp_path / "run.jsonl"
    with open(out, "wb") as sink:
        written = asyncio.run(_collect_latest_while_publishing(bootstrap, unique_name, sink))
    assert written == 7
    ids = sorted(r.message.shipment_id for r in history.read(out, Decision))
    assert ids == sorted(f"S{n}" for n in range(100, 107))
