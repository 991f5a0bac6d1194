"""The running stack: readiness, the replay, live progress, and waiting for Ctrl-C."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import time
from collections.abc import Awaitable, Callable
from typing import TextIO

from laborguard_platform import replaying
from laborguard_platform.assembly import Stack
from laborguard_platform.errors import StackError
from laborguard_platform.readiness import check_alive
from laborguard_platform.startup import wait_all_ready
from laborguard_platform.supervision import Supervisor
from laborguard_platform.tally import Tally, progress_line, summary
from laborguard_platform.watch import Watch


async def run_session(stack: Stack, out: TextIO = sys.stdout) -> None:
    """Returns when asked to stop (SIGINT/SIGTERM) or, with exit_after_replay, once settled."""
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    if not await _until_stopped(wait_all_ready(stack, out), _all_alive(stack), stopping):
        return
    # once ready, a service that dies is restarted; only the broker's death ends the run
    broker = [stack.broker.child] if stack.broker else []
    supervisor = Supervisor(broker, [e.child for e in stack.services], out)
    tally = Tally()
    started = time.monotonic()
    try:
        await _until_stopped(_watched(stack, tally, started, out), supervisor.check, stopping)
    finally:
        print("\n" + progress_line(tally, time.monotonic() - started), file=out)
        print(summary(tally), file=out, flush=True)


async def _watched(stack: Stack, tally: Tally, started: float, out: TextIO) -> None:
    """The work, with the topics followed into the tally all along."""
    watch = Watch(stack.bootstrap, tally, from_start=stack.broker is not None)
    await watch.start()
    following = asyncio.create_task(watch.follow(), name="watch")
    working = asyncio.create_task(_work(stack, tally, started, out), name="work")
    try:
        await asyncio.wait({following, working}, return_when=asyncio.FIRST_COMPLETED)
        if following.done():
            following.result()  # raises what stopped it
            raise StackError("stopped following the topics")
        working.result()
    finally:
        for task in (following, working):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await watch.stop()


async def _work(stack: Stack, tally: Tally, started: float, out: TextIO) -> None:
    settings = stack.settings
    reporter = asyncio.create_task(_report(tally, started, out), name="progress")
    try:
        if settings.replay:
            await _replay(stack, tally, out)
        if settings.exit_after_replay:  # without a replay: once ready, a smoke check
            return
        await asyncio.Event().wait()  # until stopped
    finally:
        reporter.cancel()


async def _replay(stack: Stack, tally: Tally, out: TextIO) -> None:
    settings = stack.settings
    path = replaying.history_to_replay(
        settings.replay_path, settings.replay_limit, settings.run_dir
    )
    print(f"Replaying {path} ...", file=out, flush=True)
    began = time.monotonic()
    result = await replaying.replay(stack.bootstrap, path, settings.replay_speed)
    print(f"\nReplayed {result.published:,} events in {result.seconds:.1f}s", file=out)
    await _settle(tally, result.published, settings.settle_timeout_seconds)
    seconds = time.monotonic() - began
    print(
        f"\nAll {result.published:,} replayed events settled {seconds:.1f}s after the replay "
        f"began ({result.published / seconds:,.0f} events/s)",
        file=out,
        flush=True,
    )
    if not settings.exit_after_replay:  # the summary is printed on exit too
        print("\n" + summary(tally), file=out, flush=True)


async def _settle(tally: Tally, published: int, stall_seconds: float) -> None:
    """Waits until every published event is seen and decided or dead-lettered; StackError when
    nothing moves for `stall_seconds` (a replay of any size may take long while it progresses)."""
    loop = asyncio.get_running_loop()
    seen, moved = (-1, -1), loop.time()
    # the watch task updates the counts; polling them keeps Tally free of asyncio
    while tally.shipments < published or tally.settled < tally.shipments:
        if (tally.shipments, tally.settled) != seen:
            seen, moved = (tally.shipments, tally.settled), loop.time()
        elif loop.time() - moved > stall_seconds:
            raise StackError(
                f"no progress for {stall_seconds:g}s: {tally.settled:,} of {published:,} "
                "replayed events decided or dead-lettered; see the screener logs"
            )
        await asyncio.sleep(0.2)


def _all_alive(stack: Stack) -> Callable[[float], None]:
    """While starting: any service that dies ends the run (it would not start again either)."""

    def check(now: float) -> None:
        for child in stack.children:
            check_alive(child)

    return check


async def _until_stopped(
    work: Awaitable[None], check: Callable[[float], None], stopping: asyncio.Event
) -> bool:
    """Runs `work`, calling `check` twice a second: True when it ended, False when a stop was
    asked for; what `check` raises (StackError when a service died) ends it."""
    task = asyncio.ensure_future(work)
    stopper = asyncio.create_task(stopping.wait())
    try:
        while not task.done() and not stopper.done():
            await asyncio.wait({task, stopper}, timeout=0.5, return_when=asyncio.FIRST_COMPLETED)
            check(time.monotonic())
        if not task.done():
            return False
        task.result()
        return True
    finally:
        for pending in (task, stopper):
            pending.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pending


async def _report(tally: Tally, started: float, out: TextIO) -> None:
    """A live line on a terminal; otherwise a line every 5 s while the counts move."""
    live = out.isatty()
    last = (-1, -1, -1)
    while True:
        await asyncio.sleep(0.5 if live else 5.0)
        line = progress_line(tally, time.monotonic() - started)
        counts = (tally.shipments, tally.decisions, tally.dead_letters)
        if live:
            print("\r" + line, end="", file=out, flush=True)
        elif counts != last:
            print(line, file=out, flush=True)
        last = counts
