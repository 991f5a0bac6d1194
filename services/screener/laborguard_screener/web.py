"""/healthz, /readyz and /metrics on faust's web server."""

from __future__ import annotations

import faust
from faust.web import Request, Response, View
from prometheus_client import generate_latest

from laborguard_screener.orderstate import OrderFeed

# aiohttp refuses a charset inside content_type; Prometheus reads this as text format 0.0.4.
_METRICS_CONTENT_TYPE = "text/plain; version=0.0.4"


def add_pages(app: faust.App, feed: OrderFeed, worker_id: str) -> None:
    @app.page("/healthz")
    async def healthz(view: View, request: Request) -> Response:
        return view.json({"status": "ok", "worker": worker_id})

    @app.page("/readyz")
    async def readyz(view: View, request: Request) -> Response:
        ready = feed.ready.is_set()
        body = {
            "ready": ready,
            "worker": worker_id,
            "orders": len(feed.book),
            "order_state_version": feed.book.version,
        }
        return view.json(body, status=200 if ready else 503)

    @app.page("/metrics")
    async def metrics(view: View, request: Request) -> Response:
        return view.bytes(generate_latest(), content_type=_METRICS_CONTENT_TYPE)
