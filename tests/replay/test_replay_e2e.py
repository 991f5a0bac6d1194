"""History replayed through a real screener worker decides as the offline what-if engine does
(each event's own decision), and its dates reach the shipments in transit."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from datetime import time as clock
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer

from laborguard_contracts import Decision
from laborguard_contracts.codec import encode, loads
from laborguard_contracts.seed import load_seed
from laborguard_contracts.topics import TopicSpec, ensure_topics
from laborguard_platform.embedded_broker import free_port
from laborguard_replay import decisions, history
from laborguard_replay.collecting import collect
from laborguard_replay.diffing import diff
from laborguard_replay.offline import decide
from laborguard_replay.pacing import Pace
from laborguard_replay.replay import replay_file
from laborguard_replay.settings import ReplaySettings
from laborguard_screener.engine.orderbook import OrderBook
from laborguard_screener.engine.screening import DEFAULT_POLICY

# replay is what `make run` does: also on the embedded broker
pytestmark = [pytest.mark.e2e, pytest.mark.embedded_too]

SCREENER = [str(Path(__file__).resolve().parents[2] / ".venv" / "bin" / "laborguard"), "screener"]


async def _prepare(bootstrap: str, prefix: str) -> None:
    await ensure_topics(
        bootstrap,
        (
            TopicSpec(f"{prefix}-orders", 1),
            TopicSpec(f"{prefix}-shipments", 4),
            TopicSpec(f"{prefix}-decisions", 4),
            TopicSpec(f"{prefix}-dlq", 1),
        ),
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for order in load_seed():
            await producer.send(f"{prefix}-orders", encode(order), key=order.order_id.encode())
        await producer.flush()
    finally:
        await producer.stop()


def _ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as response:
            return bool(loads(response.read())["ready"])
    except (OSError, ValueError):
        return False


@pytest.fixture
def screener(bootstrap: str, unique_name: str, tmp_path: Path) -> Iterator[str]:
    """A screener worker over the seed orders on topics of this test; yields the topic prefix."""
    asyncio.run(_prepare(bootstrap, unique_name))
    port = free_port()
    env = {
        **os.environ,
        "LABORGUARD_KAFKA_BOOTSTRAP": bootstrap,
        "LABORGUARD_SCREENER_WEB_PORT": str(port),
        "LABORGUARD_SCREENER_GROUP_ID": f"{unique_name}-group",
        "LABORGUARD_SCREENER_DATA_DIR": str(tmp_path / "data"),
        **{
            f"LABORGUARD_SCREENER_{t.upper()}_TOPIC": f"{unique_name}-{t}"
            for t in ("orders", "shipments", "decisions")
        },
        "LABORGUARD_SCREENER_DEAD_LETTER_TOPIC": f"{unique_name}-dlq",
    }
    log = tmp_path / "screener.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(SCREENER, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not _ready(port):
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.3)
        yield unique_name
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_replayed_history_is_decided_as_the_offline_engine_decides(
    bootstrap: str, screener: str, window_file: Callable[[str, str], Path], tmp_path: Path
) -> None:
    winter = window_file("2020-12-01", "2021-04-01")  # across the 2021-01-13 region order
    settings = ReplaySettings(
        kafka_bootstrap=bootstrap,
        shipments_topic=f"{screener}-shipments",
        decisions_topic=f"{screener}-decisions",
    )
    published = asyncio.run(replay_file(settings, winter, pace=Pace(None))).published
    live_path = tmp_path / "live.jsonl"
    with open(live_path, "wb") as sink:  # every decision: each event's own, and superseding ones
        asyncio.run(collect(settings, sink, count=None, idle_seconds=10))
    every = [record.message for record in history.read(live_path, Decision)]
    live = decisions.of(d for d in every if d.supersedes is None)
    book = OrderBook.of(load_seed())
    offline = decisions.of(decide(e, book, DEFAULT_POLICY) for e in history.read_events(winter))
    screener_log = (tmp_path / "screener.log").read_text()[-3000:]
    assert len(live.verdicts) == published == len(offline.verdicts), screener_log
    assert diff(offline.verdicts, live.verdicts).changes == ()
    assert any(v.outcome.value == "DETAIN" for v in live.verdicts.values())

    # The history's dates pass in its own time: the 2021-01-13 region order reaches the
    # shipments then open (filed before it, no final event yet), re-decided as of that day.
    superseding = [d for d in every if d.supersedes is not None]
    assert superseding, screener_log
    dates = {datetime.combine(e.effective, clock.min, UTC) for o in load_seed() for e in o.timeline}
    decided = {d.decision_id: d for d in every}
    for decision in superseding:
        held = decided[decision.supersedes]
        assert held.shipment_id == decision.shipment_id and held.outcome != decision.outcome
        assert decision.as_of in dates and held.as_of < decision.as_of
        assert decision.cause is not None
    print(f"{len(superseding)} in-transit shipments re-decided as a date came")
