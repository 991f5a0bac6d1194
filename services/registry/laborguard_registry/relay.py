"""The outbox relay: publishes unsent rows in commit order, then marks them sent.

It never gives up: while the broker or the database is unreachable it backs off and retries,
and the API keeps accepting changes into the outbox meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from laborguard_registry import metrics
from laborguard_registry.outbox import Outbox
from laborguard_registry.publisher import Publisher

log = logging.getLogger(__name__)
BACKLOG_REFRESH_SECONDS = 1.0
FIRST_BACKOFF_SECONDS = 0.1


class Relay:
    def __init__(
        self,
        outbox: Outbox,
        publisher: Callable[[], Publisher],
        batch_size: int,
        poll_seconds: float,
        max_backoff_seconds: float,
        linger_seconds: float = 0.0,
    ) -> None:
        self._outbox = outbox
        self._new_publisher = publisher
        self._batch_size = batch_size
        self._poll_seconds = poll_seconds
        self._max_backoff = max_backoff_seconds
        self._linger = linger_seconds
        self._publisher: Publisher | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake = asyncio.Event()
        self._stopping = False
        self._backlog_refreshed = 0.0
        self.connected = False

    def wake(self) -> None:
        """Called from any thread after a commit that wrote outbox rows."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._wake.set)

    def stop(self) -> None:
        self._stopping = True
        self.wake()

    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
        backoff = FIRST_BACKOFF_SECONDS
        while not self._stopping:
            try:
                published = await self._round()
                backoff = FIRST_BACKOFF_SECONDS
            except Exception as exc:  # the relay must outlive any failure
                metrics.PUBLISH_ERRORS.inc()
                log.warning("relay: publishing failed (%s: %s); retrying", type(exc).__name__, exc)
                await self._reset()
                await self._sleep(backoff)
                backoff = min(backoff * 2, self._max_backoff)
                continue
            if not published:
                await self._sleep(self._poll_seconds)
            elif published < self._batch_size and self._linger:
                # Under a steady stream of commits, let a few gather: one round per commit
                # would cost three statements and a produce request per change.
                await asyncio.sleep(self._linger)
        await self._reset()

    async def _round(self) -> int:
        await self._refresh_backlog()  # before connecting: the backlog matters most when down
        # Connect first even with nothing to send: that creates the topic up front.
        publisher = await self._connected()
        rows = await asyncio.to_thread(self._outbox.unsent, self._batch_size)
        if rows:
            await publisher.publish(rows)
            await asyncio.to_thread(self._outbox.mark_sent, [row.outbox_id for row in rows])
            metrics.OUTBOX_PUBLISHED.inc(len(rows))
        return len(rows)

    async def _connected(self) -> Publisher:
        if self._publisher is None:
            publisher = self._new_publisher()
            await publisher.start()
            self._publisher = publisher
            self.connected = True
            log.info("relay: connected to the broker")
        return self._publisher

    async def _reset(self) -> None:
        publisher, self._publisher = self._publisher, None
        self.connected = False
        if publisher is not None:
            try:
                await publisher.close()
            except Exception as exc:  # a broken producer may fail to close
                log.debug("relay: closing the producer failed: %s", exc)

    async def _refresh_backlog(self) -> None:
        now = time.monotonic()
        if now - self._backlog_refreshed < BACKLOG_REFRESH_SECONDS:
            return
        self._backlog_refreshed = now
        backlog = await asyncio.to_thread(self._outbox.backlog)
        metrics.OUTBOX_BACKLOG.set(backlog.unsent)
        age = (datetime.now(UTC) - backlog.oldest).total_seconds() if backlog.oldest else 0.0
        metrics.OUTBOX_OLDEST_AGE.set(max(age, 0.0))

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)
        self._wake.clear()
