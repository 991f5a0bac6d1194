"""What the broker at hand can do, asked over the wire once.

aiokafka's idempotent and transactional producers start with InitProducerId version 0. Apache
Kafka grants a producer id; the embedded broker lists version 0 in its ApiVersions but answers it
with UNKNOWN_SERVER_ERROR (it accepts only versions 3-4), so its ApiVersions cannot be trusted
here: the request itself is the test. Idempotence and transactions are on only where it succeeds.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

from aiokafka.conn import create_conn
from aiokafka.protocol.transaction import InitProducerIdRequest

# COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR: ask again
_RETRIABLE = {14, 15, 16}


async def supports_producer_ids(bootstrap: str, within: float = 15.0) -> bool:
    """Whether aiokafka's idempotent and transactional producers can start on this broker."""
    host, port = bootstrap.split(",")[0].strip().rsplit(":", 1)
    conn = await create_conn(host, int(port), request_timeout_ms=5000)
    deadline = time.monotonic() + within
    try:
        while True:
            response = await conn.send(InitProducerIdRequest(None, 60_000))
            if response.error_code not in _RETRIABLE or time.monotonic() > deadline:
                return bool(response.error_code == 0)
            await asyncio.sleep(0.2)
    finally:
        with contextlib.suppress(Exception):
            conn.close()
