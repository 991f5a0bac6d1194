"""The real screener worker, except that its Nth output record batch is never sent: the producer
reports it failed, as it does when a batch expires after its retries.

N is LABORGUARD_SCREENER_TEST_FAIL_BATCH. LABORGUARD_SCREENER_TEST_LATE_COMMIT=1 fixes the order
of a race in faust's stop after a crash: the consumer thread, which stops by itself on a crash,
stops serving calls and keeps its loop open 2 s before it ends, and the commits faust makes while
stopping are sent in that time (a commit sent then was never answered)."""

from __future__ import annotations

import asyncio
import itertools
import os
import threading
from collections.abc import Sequence
from typing import Any

from aiokafka.errors import KafkaTimeoutError
from faust.transport import consumer
from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

from laborguard_screener import main
from laborguard_screener.outbox import Outbox

_FAIL_AT = int(os.environ["LABORGUARD_SCREENER_TEST_FAIL_BATCH"])
_submitted = itertools.count(1)
_submit = Outbox._submit


async def _submit_but_lose_one(
    self: Outbox[Any], batch: Any, topic: str, partition: int, sources: Sequence[Any]
) -> None:
    if next(_submitted) != _FAIL_AT:
        await _submit(self, batch, topic, partition, sources)
        return
    lost: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    lost.add_done_callback(lambda done: self._delivered(done, sources))
    lost.set_exception(KafkaTimeoutError("batch expired (injected)"))


_thread_stop = AIOKafkaConsumerThread.on_thread_stop
_commit = consumer.Consumer.commit
_thread_stopped = threading.Event()


async def _stop_thread_and_linger(self: AIOKafkaConsumerThread) -> None:
    await _thread_stop(self)  # faust's: its method queue (no more calls served), its consumer
    _thread_stopped.set()
    await asyncio.sleep(2.0)  # its loop stays open meanwhile: it closes when this returns


async def _commit_once_the_thread_stopped(
    self: consumer.Consumer, topics: Any = None, start_new_transaction: bool = True
) -> bool:
    if self.crashed:
        await asyncio.to_thread(_thread_stopped.wait, 10.0)
    return await _commit(self, topics, start_new_transaction=start_new_transaction)


Outbox._submit = _submit_but_lose_one  # type: ignore[method-assign]
if os.environ.get("LABORGUARD_SCREENER_TEST_LATE_COMMIT") == "1":
    lingering: Any = _stop_thread_and_linger
    AIOKafkaConsumerThread.on_thread_stop = lingering  # type: ignore[method-assign]
    late: Any = _commit_once_the_thread_stopped
    consumer.Consumer.commit = late  # type: ignore[method-assign]

if __name__ == "__main__":
    main.main()
