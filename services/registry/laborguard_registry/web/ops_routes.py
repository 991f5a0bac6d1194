"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

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

    @router.get("/metrics", include_in_schema=False)
    async def prometheus() -> Response:
        await run_in_threadpool(_count_orders, store)
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router


def _count_orders(store: OrderStore) -> None:
    today = datetime.now(UTC).date()
    counts = Counter(
        (o.kind.value, status_at(o, today).value) for o in store.all_current().values()
    )
    metrics.ORDERS.clear()
    for (kind, status), count in counts.items():
        metrics.ORDERS.labels(kind, status).set(count)
