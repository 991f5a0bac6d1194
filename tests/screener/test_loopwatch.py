"""The event loop probe: a step that holds the loop shows as a stall of about its length."""

from __future__ import annotations

import asyncio
import contextlib
import time

import pytest
from prometheus_client import CollectorRegistry

from laborguard_screener.loophistogram import LoopHistogram
from laborguard_screener.loopwatch import probe_loop

pytestmark = pytest.mark.unit


async def test_a_step_that_holds_the_loop_is_observed_as_a_stall_of_its_length() -> None:
    registry = CollectorRegistry()
    stalls = LoopHistogram("stall_seconds", "doc", (0.05, 0.25, 1.0), registry=registry)
    probe = asyncio.ensure_future(probe_loop(stalls, 0.1))
    await asyncio.sleep(0.35)  # the loop free: wake-ups on time (late by < 0.05 s)
    quiet = registry.get_sample_value("stall_seconds_bucket", {"le": "0.05"})
    assert quiet is not None and quiet >= 2
    assert registry.get_sample_value("stall_seconds_bucket", {"le": "+Inf"}) == quiet
    time.sleep(0.5)  # noqa: ASYNC251 (the step that holds the loop, on purpose)
    await asyncio.sleep(0.15)
    probe.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await probe
    held = registry.get_sample_value("stall_seconds_bucket", {"le": "1.0"})
    short = registry.get_sample_value("stall_seconds_bucket", {"le": "0.25"})
    assert held is not None and short is not None and held - short == 1  # one stall, 0.25-1 s
    total = registry.get_sample_value("stall_seconds_sum")
    assert total is not None and 0.35 < total < 0.7
