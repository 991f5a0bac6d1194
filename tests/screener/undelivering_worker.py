"""The real screener worker, except that its Nth output record batch is never sent: the producer
reports it failed, as it does when a batch expires after its retries.

N is LABORGUARD_SCREENER_TEST_FAIL_BATCH."""

from __future__ import annotations

import asyncio
import itertools
import os
from collections.abc import Sequence
from typing import Any

from aiokafka.errors import KafkaTimeoutError

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


Outbox._submit = _submit_but_lose_one  # type: ignore[method-assign]

if __name__ == "__main__":
    main.main()
