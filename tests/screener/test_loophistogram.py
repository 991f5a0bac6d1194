"""The lock-free histogram exports exactly what prometheus_client's histogram exports."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from prometheus_client import CollectorRegistry, Histogram, generate_latest

from laborguard_screener.loophistogram import LoopHistogram

pytestmark = pytest.mark.unit

BUCKETS = (1e-5, 2.5e-5, 1e-4, 0.005, 0.1, 1.0, 10.0)


def _exposition(registry: CollectorRegistry) -> list[str]:
    lines = generate_latest(registry).decode().splitlines()
    return [line for line in lines if "_created" not in line]


@given(st.lists(st.sampled_from([*BUCKETS, 0.0]) | st.floats(0, 100), max_size=50))
def test_same_series_as_prometheus_clients_histogram(values: list[float]) -> None:
    theirs, ours = CollectorRegistry(), CollectorRegistry()
    reference = Histogram("t_seconds", "doc", buckets=BUCKETS, registry=theirs)
    loop = LoopHistogram("t_seconds", "doc", BUCKETS, registry=ours)
    for value in values:
        reference.observe(value)
        loop.observe(value)
    assert _exposition(ours) == _exposition(theirs)
