"""How long the worker's event loop is held: the stream, order updates, re-screens, restores and
aiokafka's group heartbeats all run on it, so a step that holds it for seconds delays every
decision and, past the session timeout (`SESSION_TIMEOUT_SECONDS`, 6 s), gets the worker evicted
from its group. A probe asks to wake every `PROBE_SECONDS` and observes how late it woke."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from laborguard_screener import metrics
from laborguard_screener.loophistogram import LoopHistogram

PROBE_SECONDS = 0.25


async def watch_loop() -> None:
    """The worker's probe (an app task: faust passes the app to a task that takes arguments)."""
    await probe_loop(metrics.EVENT_LOOP_STALL_SECONDS, PROBE_SECONDS)


async def probe_loop(
    stalls: LoopHistogram, interval: float, clock: Callable[[], float] = time.monotonic
) -> None:
    """Runs until cancelled: each wake-up observes how much later than asked it came."""
    while True:
        asked = clock() + interval
        await asyncio.sleep(interval)
        stalls.observe(max(clock() - asked, 0.0))
