"""The bundled sample, read and validated once per session (it is the costly part of the tests)."""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from pathlib import Path

import pytest

from laborguard_contracts import ShipmentEvent
from laborguard_replay import history
from laborguard_replay.pacing import moment
from laborguard_replay.samples import SAMPLE_PATH

Records = list[history.Record[ShipmentEvent]]
WindowFile = Callable[[str, str], Path]


@pytest.fixture(scope="session")
def sample_records() -> Records:
    return list(history.read(SAMPLE_PATH, ShipmentEvent))


@pytest.fixture(scope="session")
def sample(sample_records: Records) -> list[ShipmentEvent]:
    return [record.message for record in sample_records]


@pytest.fixture
def window_file(sample_records: Records, tmp_path: Path) -> WindowFile:
    """Writes the sample's events of [since, until) (ISO dates), original bytes, to a file."""
    numbers = count()

    def write(since: str, until: str) -> Path:
        start, end = moment(since), moment(until)
        lines = [r.raw for r in sample_records if start <= r.message.event_time < end]
        path = tmp_path / f"window{next(numbers)}.jsonl"
        path.write_bytes(b"\n".join(lines) + b"\n")
        return path

    return write
