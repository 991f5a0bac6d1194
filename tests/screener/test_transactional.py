"""The transactional output path's offsets: the next offset of each partition it consumed."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from aiokafka import TopicPartition

from laborguard_screener.transactional import _next_offsets

pytestmark = pytest.mark.unit


def _message(partition: int, offset: int) -> Any:
    return SimpleNamespace(topic="shipments", partition=partition, offset=offset)


def test_the_committed_offset_is_one_past_the_last_record_consumed_per_partition() -> None:
    sources = [_message(0, 5), _message(1, 9), _message(0, 7), _message(0, 6)]
    assert _next_offsets(sources) == {
        TopicPartition("shipments", 0): 8,
        TopicPartition("shipments", 1): 10,
    }


def test_no_records_no_offsets() -> None:
    assert _next_offsets([]) == {}
