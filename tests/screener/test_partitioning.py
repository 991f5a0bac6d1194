"""The outbox's partitioning is the one every other Kafka producer of ours uses (aiokafka's)."""

from __future__ import annotations

import pytest
from aiokafka.partitioner import DefaultPartitioner
from aiokafka.partitioner import murmur2 as aiokafka_murmur2
from hypothesis import example, given
from hypothesis import strategies as st

from laborguard_screener.outbox import murmur2, partition_of

pytestmark = pytest.mark.unit


@given(st.binary(max_size=300))
@example(b"")
@example(b"shp-0")
@example(bytes(range(256)) + b"x")  # longer than the precompiled word formats
def test_murmur2_is_kafkas_as_aiokafka_computes_it(key: bytes) -> None:
    assert murmur2(key) == aiokafka_murmur2(key)
    partitions = list(range(12))
    assert partition_of(key, partitions) == DefaultPartitioner()(key, partitions, partitions)


def test_a_record_without_a_key_goes_to_one_of_the_partitions() -> None:
    assert {partition_of(None, [3, 5]) for _ in range(50)} <= {3, 5}
