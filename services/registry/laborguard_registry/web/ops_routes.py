"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from laborguard_registry import metrics
from laborguard_registry.orders import status_at
from laborguard_registry.store import OrderStore

COUNT_SECONDS = 10.0


def ops_routes(
    store: OrderStore, ping: Callable[[], None], relay_connected: Callable[[], bool]
) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz")
    async def readyz() -> JSONResponse:
        relay = "connected" if relay_connected() else "disconnected"
        try:
            await run_in_threadpool(ping)
        except SQLAlchemyError:
            return JSONResponse({"status": "unavailable", "database": "down", "relay": relay}, 503)
        # The broker being down does not make the registry unready: changes queue in the outbox.
        return JSONResponse({"status": "ready", "database": "up", "relay": relay})

    counted = OrderCount(store)

    @router.get("/metrics", include_in_schema=False)
    async def prometheus() -> Response:
        await counted.refresh()
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router


class OrderCount:
    """`registry_orders` is counted from every current order (~25 ms of CPU): at most once per
    COUNT_SECONDS, and by one scrape at a time, so a flood of scrapes costs little."""

    def __init__(self, store: OrderStore) -> None:
        self._store = store
        self._counted_at = -COUNT_SECONDS
        self._lock = asyncio.Lock()

    async def refresh(self) -> None:
        async with self._lock:
            if time.monotonic() - self._counted_at < COUNT_SECONDS:
                return
            await run_in_threadpool(_count_orders, self._store)
            self._counted_at = time.monotonic()


def _count_orders(store: OrderStore) -> None:
    today = datetime.now(UTC).date()
    counts = Counter(
        (o.kind.value, status_at(o, today).value) for o in store.all_current().values()
    )
    metrics.ORDERS.clear()
    for (kind, status), count in counts.items():
        metrics.ORDERS.labels(kind, status).set(count)
