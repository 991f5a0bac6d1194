"""`collect --latest`'s choice of records with a recording consumer; test_replay_broker runs it
on the brokers."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from aiokafka import TopicPartition

from laborguard_contracts import Decision
from laborguard_contracts.codec import decode, encode
from laborguard_replay import collecting
from laborguard_replay.collecting import collect
from laborguard_replay.settings import ReplaySettings

from .collected import decision

pytestmark = pytest.mark.unit

STARTED = 1_796_500_000_000  # the millisecond the collector starts (epoch ms)


@dataclass(frozen=True)
class _Record:
    offset: int
    timestamp: int
    value: bytes


class _Consumer:
    """One fetch of a partition's last batch, then nothing (the embedded broker's end offset
    can point into that batch, so a collector started at the end reads it again)."""

    def __init__(self, records: list[_Record]) -> None:
        self.batches = [{TopicPartition("decisions", 0): records}]

    async def start(self) -> None: ...
    async def stop(self) -> None: ...

    async def getmany(self, **_: object) -> dict[TopicPartition, list[_Record]]:
        return self.batches.pop() if self.batches else {}

    def assignment(self) -> set[TopicPartition]:
        return set()


@pytest.mark.parametrize(("from_start", "taken"), [(False, ["S3"]), (True, ["S1", "S2", "S3"])])
async def test_latest_takes_only_records_stamped_after_the_millisecond_it_started(
    monkeypatch: pytest.MonkeyPatch, from_start: bool, taken: list[str]
) -> None:
    """Published before the collector started, 1 ms before or in that very millisecond: not a
    run's own (a replay publishes after `ready`, later); from the start, every record."""
    records = [
        _Record(0, STARTED - 1, encode(decision(1))),
        _Record(1, STARTED, encode(decision(2))),  # the same millisecond: an older one, maybe
        _Record(2, STARTED + 1, encode(decision(3))),
    ]
    monkeypatch.setattr(collecting, "consumer_for", lambda *_, **__: _Consumer(records))
    monkeypatch.setattr(collecting, "_now_ms", lambda: STARTED)
    sink = io.BytesIO()
    settings = ReplaySettings(kafka_bootstrap="unused:9092", decisions_topic="decisions")

    result = await collect(settings, sink, count=None, idle_seconds=0.05, from_start=from_start)

    lines = sink.getvalue().splitlines()
    assert [decode(Decision, line).shipment_id for line in lines] == taken
    assert result.written == len(taken)
