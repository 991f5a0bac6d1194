"""The publisher's timing with a recording producer; test_replay_broker runs it on the broker."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest

from laborguard_replay.publishing import _send_all
from laborguard_replay.schedule import Send
from laborguard_replay.settings import ReplaySettings

pytestmark = pytest.mark.unit


class RecordingProducer:
    def __init__(self) -> None:
        self.sent: list[tuple[float, bytes]] = []

    async def send(self, topic: str, value: bytes, key: bytes) -> asyncio.Future[object]:
        loop = asyncio.get_running_loop()
        self.sent.append((loop.time(), key))
        done: asyncio.Future[object] = loop.create_future()
        done.set_result(None)
        return done


def _slow_start(*dues: float) -> Iterator[Send]:
    time.sleep(0.3)  # lines ahead of the window take time to read
    for n, due in enumerate(dues):
        yield Send(due, f"S{n}".encode(), b"{}")


def test_pacing_starts_at_the_first_send_not_before_the_skipped_lines() -> None:
    producer = RecordingProducer()
    settings = ReplaySettings(kafka_bootstrap="unused:9092")
    progress: list[int] = []
    count = asyncio.run(
        _send_all(
            producer,
            settings,
            _slow_start(0.0, 0.25, 0.5),
            progress.append,
        )
    )
    times = [at for at, _ in producer.sent]
    assert count == 3 and sum(progress) == 3
    assert times[1] - times[0] >= 0.24 and times[2] - times[0] >= 0.49


def test_acknowledgements_are_awaited_in_batches() -> None:
    producer = RecordingProducer()
    settings = ReplaySettings(kafka_bootstrap="unused:9092", batch_size=2)
    progress: list[int] = []
    sends = (Send(0.0, f"S{n}".encode(), b"{}") for n in range(5))
    assert asyncio.run(_send_all(producer, settings, sends, progress.append)) == 5
    assert progress == [2, 2, 1]
