"""ASGI middleware: the request size limit (413) and per-route HTTP metrics."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from laborguard_registry import metrics
from laborguard_registry.web.errors import error_response

UNMATCHED = "unmatched"  # unknown paths share one label, so clients cannot explode cardinality


class ObservedAndLimited:
    def __init__(self, app: ASGIApp, max_request_bytes: int) -> None:
        self._app = app
        self._max = max_request_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def observed_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            declared = _content_length(scope)
            too_large = declared is not None and declared > self._max
            body = None if too_large else await self._read_body(receive)
            if body is None:
                message = f"request body exceeds {self._max} bytes"
                await error_response(413, "too_large", message)(scope, receive, observed_send)
            else:
                await self._app(scope, _replay(body, receive), observed_send)
        finally:
            route = getattr(scope.get("route"), "path", UNMATCHED)
            method = scope["method"]
            metrics.HTTP_REQUESTS.labels(route, method, str(status)).inc()
            metrics.HTTP_SECONDS.labels(route, method).observe(time.perf_counter() - started)

    async def _read_body(self, receive: Receive) -> bytes | None:
        """The whole body, or None once it passes the limit (declared or actually sent)."""
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self._max:
                return None
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    delivered = False

    async def replayed() -> Message:
        nonlocal delivered
        if delivered:
            return await receive()  # disconnect notifications after the body
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed
